package web

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

func apiFactList(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		facts, err := a.Facts(r.Context(), r.PathValue("ref"))
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, map[string]any{"facts": facts})
	})
}

type factSetRequest struct {
	State  casefile.State  `json:"state"`
	Value  json.RawMessage `json:"value"`
	Source casefile.Source `json:"source"`
}

func apiFactSet(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		var req factSetRequest
		if err := decode(w, r, &req); err != nil {
			return err
		}
		in := casefile.FactInput{Name: r.PathValue("name"), State: req.State, Value: req.Value, Source: req.Source}
		f, err := a.SetFact(r.Context(), r.PathValue("ref"), in)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, f)
	})
}

type factSetManyRequest struct {
	Facts []casefile.FactInput `json:"facts"`
}

func apiFactSetMany(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		var req factSetManyRequest
		if err := decode(w, r, &req); err != nil {
			return err
		}
		facts, err := a.SetFacts(r.Context(), r.PathValue("ref"), req.Facts)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, map[string]any{"facts": facts})
	})
}

func apiFactClear(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		if err := a.ClearFact(r.Context(), r.PathValue("ref"), r.PathValue("name")); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	})
}

// apiFactHistory serves the history of one fact ({name} in the path) or,
// without it, of all facts.
func apiFactHistory(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		hist, err := a.FactHistory(r.Context(), r.PathValue("ref"), r.PathValue("name"))
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, map[string]any{"history": hist})
	})
}

func apiVocabulary(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		v, err := a.ReadVocabulary(r.Context())
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, map[string]any{"facts": v.Defs()})
	})
}
