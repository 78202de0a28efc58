package web

import (
	"log/slog"
	"net/http"

	"github.com/sanctuary-platform/sanctuary/internal/app"
)

// healthz answers as long as the process serves requests.
func healthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
}

// readyz answers 200 when the database answers and its schema is current,
// else 503: a load balancer should send no traffic here.
func readyz(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		if err := a.Ready(r.Context()); err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
}
