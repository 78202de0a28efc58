package web

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/sanctuary-platform/sanctuary/internal/app"
)

func apiNoteList(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		notes, err := a.Notes(r.Context(), r.PathValue("ref"))
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, map[string]any{"notes": notes})
	})
}

type noteRequest struct {
	Body string `json:"body"`
}

func apiNoteAdd(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		var req noteRequest
		if err := decode(w, r, &req); err != nil {
			return err
		}
		n, err := a.AddNote(r.Context(), r.PathValue("ref"), req.Body)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusCreated, n)
	})
}

func apiTimeline(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		q := r.URL.Query()
		limit, err := intParam(q, "limit")
		if err != nil {
			return err
		}
		after, err := intParam(q, "after")
		if err != nil {
			return err
		}
		p, err := a.Timeline(r.Context(), r.PathValue("ref"), int64(after), limit)
		if err != nil {
			return err
		}
		if n := len(p.Events); n > 0 {
			w.Header().Set("Link", `<?after=`+strconv.FormatInt(p.Events[n-1].ID, 10)+`>; rel="next"`)
		}
		return writeJSON(w, http.StatusOK, p)
	})
}
