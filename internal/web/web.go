// Package web is Sanctuary's HTTP surface: the JSON API under /api/v1, the
// health checks, and the browser pages (sign-in, account setup, the
// account page, the client's page; the case pages come with the web UI).
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
	"strings"
	"time"

	"github.com/sanctuary-platform/sanctuary/internal/app"
)

// Options say how browsers reach the server.
type Options struct {
	// Secure: over HTTPS (TLS here, or at a proxy in front): cookies are
	// Secure with the __Host- prefix, and HSTS is sent.
	Secure bool
	// BehindProxy: a TLS proxy in front adds X-Forwarded-For; the client's
	// address for the sign-in limits is taken from it.
	BehindProxy bool
}

func (o Options) cookieName() string {
	if o.Secure {
		return "__Host-sanctuary"
	}
	return "sanctuary"
}

// NewHandler returns the whole HTTP surface over the app: the JSON API,
// which takes API tokens only, and the browser pages, which take a session
// cookie and a CSRF token and refuse cross-origin writes.
func NewHandler(a *app.App, log *slog.Logger, opt Options) http.Handler {
	mux := http.NewServeMux()
	cop := http.NewCrossOriginProtection()
	for _, rt := range routes(a, log, opt) {
		var h http.Handler
		if isAPI(rt.pattern) {
			h = withAPIAuth(a, rt.access, rt.handler, log)
		} else {
			h = cop.Handler(withBrowserAuth(a, rt.access, rt.handler, opt, log))
		}
		mux.Handle(rt.method+" "+rt.pattern, h)
	}
	var h http.Handler = unmatched(mux, log)
	h = securityHeaders(h, opt)
	return logRequests(h, log)
}

func isAPI(pattern string) bool { return strings.HasPrefix(pattern, "/api/") }

// securityHeaders sets the headers every response carries: nothing is
// cached (responses hold client data), no script but our own files runs,
// nothing is framed or sniffed, no referrer leaves, and over HTTPS the
// browser is told to use nothing else.
func securityHeaders(next http.Handler, opt Options) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; "+
			"frame-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		if opt.Secure {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
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
