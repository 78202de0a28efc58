package web

import (
	"log/slog"
	"net/http"

	"github.com/sanctuary-platform/sanctuary/internal/app"
)

// pageDashboard is a staff member's start page: their open cases and the
// cases whose assessment changed with a knowledge update.
func pageDashboard(a *app.App, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d, err := a.Dashboard(r.Context())
		if err != nil {
			renderError(w, r, log, err)
			return
		}
		render(w, r, log, http.StatusOK, "dashboard", map[string]any{"D": d, "Days": app.DashboardDays})
	})
}
