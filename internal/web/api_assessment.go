package web

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/rules"
)

type assessRequest struct {
	AsOf          string   `json:"as_of"`
	KnownAsOf     string   `json:"known_as_of"`
	Jurisdictions []string `json:"jurisdictions"`
}

func (r assessRequest) request() (app.AssessRequest, error) {
	asOf, err := app.ParseDateField("as_of", r.AsOf)
	if err != nil {
		return app.AssessRequest{}, err
	}
	known, err := app.ParseDateField("known_as_of", r.KnownAsOf)
	if err != nil {
		return app.AssessRequest{}, err
	}
	return app.AssessRequest{AsOf: asOf, KnownAsOf: known, Jurisdictions: r.Jurisdictions}, nil
}

func apiAssessmentCreate(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		var body assessRequest
		if err := decode(w, r, &body); err != nil {
			return err
		}
		req, err := body.request()
		if err != nil {
			return err
		}
		st, err := a.AssessCase(r.Context(), r.PathValue("ref"), req)
		if err != nil {
			return err
		}
		w.Header().Set("Location", "/api/v1/cases/"+st.Case+"/assessments/"+strconv.FormatInt(st.ID, 10))
		return writeJSON(w, http.StatusCreated, st)
	})
}

func apiAssessmentList(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		list, err := a.Assessments(r.Context(), r.PathValue("ref"))
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, map[string]any{"assessments": list})
	})
}

// apiAssessmentGet serves one stored assessment; without {id}, the latest.
func apiAssessmentGet(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		id, err := assessmentID(r)
		if err != nil {
			return err
		}
		st, err := a.Assessment(r.Context(), r.PathValue("ref"), id)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, st)
	})
}

func assessmentID(r *http.Request) (int64, error) {
	s := r.PathValue("id")
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, sanctuary.Errorf(sanctuary.ENOTFOUND, "no such assessment")
	}
	return id, nil
}

func apiAssessmentReproduce(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		id, err := assessmentID(r)
		if err != nil {
			return err
		}
		rep, err := a.ReproduceAssessment(r.Context(), r.PathValue("ref"), id)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, rep)
	})
}

// apiAssessmentPreview assesses without keeping: as of a date, and, with
// compare_with, the difference from another date.
func apiAssessmentPreview(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		q := r.URL.Query()
		req, err := assessRequest{AsOf: q.Get("as_of"), KnownAsOf: q.Get("known_as_of"), Jurisdictions: q["jurisdiction"]}.request()
		if err != nil {
			return err
		}
		ref := r.PathValue("ref")
		res, err := a.PreviewAssessment(r.Context(), ref, req)
		if err != nil {
			return err
		}
		out := map[string]any{"assessment": res}
		if s := q.Get("compare_with"); s != "" {
			other, err := app.ParseDateField("compare_with", s)
			if err != nil {
				return err
			}
			req.AsOf = other
			base, err := a.PreviewAssessment(r.Context(), ref, req)
			if err != nil {
				return err
			}
			out["difference"] = rules.Diff(base, res)
		}
		return writeJSON(w, http.StatusOK, out)
	})
}

func apiKnowledge(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		p, err := a.ReadPack(r.Context())
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, p.Summary())
	})
}
