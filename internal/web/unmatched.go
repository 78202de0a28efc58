package web

import (
	"bytes"
	"log/slog"
	"net/http"

	"github.com/sanctuary-platform/sanctuary"
)

// unmatched answers requests that match no route with the JSON error shape
// instead of ServeMux's plain text, keeping its status (404, or 405 with the
// Allow header).
func unmatched(mux *http.ServeMux, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if sw, ok := w.(*statusWriter); ok {
			sw.route = pattern
		}
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		rec := &recorder{header: http.Header{}}
		h.ServeHTTP(rec, r)
		switch rec.status {
		case http.StatusNotFound:
			writeError(w, r, log, sanctuary.Errorf(sanctuary.ENOTFOUND, "no such route"))
		case http.StatusMethodNotAllowed:
			w.Header().Set("Allow", rec.header.Get("Allow"))
			writeErrorStatus(w, r, log, http.StatusMethodNotAllowed,
				sanctuary.Errorf(sanctuary.EINVALID, "method %s is not allowed here", r.Method))
		default: // a redirect to the clean path, for instance
			for k, v := range rec.header {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.status)
			w.Write(rec.body.Bytes())
		}
	})
}

// recorder captures what ServeMux's built-in handlers write.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
