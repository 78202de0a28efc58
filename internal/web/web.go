// Package web is Sanctuary's HTTP surface: the JSON API under /api/v1, the
// health checks, and (in later issues) the HTML interface.
//
// Every route is listed in routes.go. Handlers are small constructors that
// take the app layer and return an http.Handler; they decode the request,
// call one use case and encode the answer. Errors from any handler are
// rendered in one place (api.go) as
//
//	{"error": {"code": "...", "message": "...", "fields": {"path": "problem"}}}
//
// with the HTTP status that belongs to the code.
package web

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
)

// NewHandler returns the whole HTTP surface over the app.
func NewHandler(a *app.App, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	for _, rt := range routes(a, log) {
		mux.Handle(rt.method+" "+rt.pattern, rt.handler)
	}
	var h http.Handler = unmatched(mux, log)
	h = withActor(h)
	h = securityHeaders(h)
	return logRequests(h, log)
}

// ActorHeader names who is acting on an API request, until accounts exist
// (issue 5); without it the actor is "api".
const ActorHeader = "Sanctuary-Actor"

func withActor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := sanctuary.Actor("api")
		if h := r.Header.Get(ActorHeader); h != "" {
			a = sanctuary.Actor(h)
		}
		next.ServeHTTP(w, r.WithContext(sanctuary.WithActor(r.Context(), a)))
	})
}

// securityHeaders sets the headers every response carries: nothing is
// cached (responses hold client data), nothing is framed or sniffed, and no
// referrer leaves.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// logRequests logs one line per request: method, route pattern (never the
// path or query, which may name a case or a person), status and duration.
func logRequests(next http.Handler, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		log.LogAttrs(r.Context(), slog.LevelInfo, "http",
			slog.String("method", r.Method), slog.String("route", rec.route),
			slog.Int("status", rec.status), slog.Duration("took", time.Since(start)))
	})
}

type statusWriter struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
	route       string // the matched pattern, set by unmatched
}

func (s *statusWriter) WriteHeader(code int) {
	if !s.wroteHeader {
		s.status, s.wroteHeader = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
