package web

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
)

func apiDeadlineList(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		ds, err := a.Deadlines(r.Context(), r.PathValue("ref"))
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, map[string]any{"deadlines": ds})
	})
}

type deadlineRequest struct {
	Due   string `json:"due"`
	Label string `json:"label"`
}

func apiDeadlineAdd(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		var req deadlineRequest
		if err := decode(w, r, &req); err != nil {
			return err
		}
		due, err := app.ParseDateField("due", req.Due)
		if err != nil {
			return err
		}
		d, err := a.AddDeadline(r.Context(), r.PathValue("ref"), due, req.Label)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusCreated, d)
	})
}

func apiDeadlineDone(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		id, err := deadlineID(r)
		if err != nil {
			return err
		}
		if err := a.CompleteDeadline(r.Context(), r.PathValue("ref"), id); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	})
}

func deadlineID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, sanctuary.Errorf(sanctuary.ENOTFOUND, "no such deadline")
	}
	return id, nil
}
