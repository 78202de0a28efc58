package web

import (
	"log/slog"
	"net/http"
	"net/url"
	"strconv"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

type caseCreateRequest struct {
	Person       casefile.Person `json:"person"`
	Destinations []string        `json:"destinations"`
	Assignees    []string        `json:"assignees"`
}

func apiCaseCreate(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		var req caseCreateRequest
		if err := decode(w, r, &req); err != nil {
			return err
		}
		c, err := a.CreateCase(r.Context(), app.NewCase(req))
		if err != nil {
			return err
		}
		w.Header().Set("Location", "/api/v1/cases/"+url.PathEscape(c.Reference))
		return writeJSON(w, http.StatusCreated, c)
	})
}

func apiCaseList(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		q := r.URL.Query()
		if q.Has("name") {
			return sanctuary.Invalid("a name does not belong in a URL, where proxies and browsers log it",
				map[string]string{"name": "search by name with POST /api/v1/cases/search"})
		}
		cq := app.CaseQuery{Destination: q.Get("destination"), Assignee: q.Get("assignee"), Cursor: q.Get("cursor")}
		for _, s := range q["status"] {
			cq.Statuses = append(cq.Statuses, casefile.Status(s))
		}
		var err error
		if cq.Limit, err = intParam(q, "limit"); err != nil {
			return err
		}
		page, err := a.ListCases(r.Context(), cq)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, page)
	})
}

// caseSearchRequest is the body of a case search: a name is client data,
// so it travels in a body, never in a URL that proxies and browsers log.
type caseSearchRequest struct {
	Name        string            `json:"name"`
	Statuses    []casefile.Status `json:"status"`
	Destination string            `json:"destination"`
	Assignee    string            `json:"assignee"`
	Cursor      string            `json:"cursor"`
	Limit       int               `json:"limit"`
}

func apiCaseSearch(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		var req caseSearchRequest
		if err := decode(w, r, &req); err != nil {
			return err
		}
		page, err := a.ListCases(r.Context(), app.CaseQuery{Name: req.Name, Statuses: req.Statuses,
			Destination: req.Destination, Assignee: req.Assignee, Cursor: req.Cursor, Limit: req.Limit})
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, page)
	})
}

func apiCaseGet(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		c, err := a.GetCase(r.Context(), r.PathValue("ref"))
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, c)
	})
}

type caseUpdateRequest struct {
	Version      *int64           `json:"version"`
	Person       *casefile.Person `json:"person"`
	Destinations *[]string        `json:"destinations"`
	Assignees    *[]string        `json:"assignees"`
}

func apiCaseUpdate(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		var req caseUpdateRequest
		if err := decode(w, r, &req); err != nil {
			return err
		}
		c, err := a.UpdateCase(r.Context(), r.PathValue("ref"),
			app.CaseUpdate{Version: req.Version, Person: req.Person, Destinations: req.Destinations, Assignees: req.Assignees})
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, c)
	})
}

func apiCaseExport(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		x, err := a.ExportCase(r.Context(), r.PathValue("ref"))
		if err != nil {
			return err
		}
		w.Header().Set("Content-Disposition", `attachment; filename="`+x.Case.Reference+`.json"`)
		return writeJSON(w, http.StatusOK, x)
	})
}

type transitionRequest struct {
	To      casefile.Status `json:"to"`
	Reason  string          `json:"reason"`
	Version *int64          `json:"version"`
}

func apiCaseTransition(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		var req transitionRequest
		if err := decode(w, r, &req); err != nil {
			return err
		}
		c, err := a.TransitionCase(r.Context(), r.PathValue("ref"), app.Transition(req))
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, c)
	})
}

// intParam reads an optional integer query parameter; absent is 0.
func intParam(q url.Values, name string) (int, error) {
	s := q.Get(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, sanctuary.Invalid("a query parameter is malformed", map[string]string{name: "must be a whole number"})
	}
	return n, nil
}
