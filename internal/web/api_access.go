package web

import (
	"bufio"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
)

func noContent(w http.ResponseWriter, err error) error {
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// auditQuery reads the filters of the audit routes.
func auditQuery(q url.Values) (app.AuditQuery, error) {
	aq := app.AuditQuery{Actor: q.Get("actor"), Case: q.Get("case"), Action: q.Get("action"), Outcome: q.Get("outcome")}
	errs := map[string]string{}
	for name, dst := range map[string]*time.Time{"from": &aq.From, "to": &aq.To} {
		if v := q.Get(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				errs[name] = "must be a time such as 2026-11-26T00:00:00Z"
			}
			*dst = t
		}
	}
	var err error
	if aq.After, err = int64Param(q, "after"); err != nil {
		errs["after"] = "must be a whole number"
	}
	if aq.Limit, err = intParam(q, "limit"); err != nil {
		errs["limit"] = "must be a whole number"
	}
	if len(errs) > 0 {
		return aq, sanctuary.Invalid("the audit trail cannot be read", errs)
	}
	return aq, nil
}

func int64Param(q url.Values, name string) (int64, error) {
	if v := q.Get(name); v != "" {
		return strconv.ParseInt(v, 10, 64)
	}
	return 0, nil
}

func apiAudit(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		q, err := auditQuery(r.URL.Query())
		if err != nil {
			return err
		}
		page, err := a.Audit(r.Context(), q)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, page)
	})
}

// apiAuditExport streams every matching entry as JSON lines, page after
// page, for an auditor to keep and verify on their own.
func apiAuditExport(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		q, err := auditQuery(r.URL.Query())
		if err != nil {
			return err
		}
		q.Limit = app.MaxAuditPage
		page, err := a.Audit(r.Context(), q)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/jsonl; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="sanctuary-audit.jsonl"`)
		bw := bufio.NewWriter(w)
		enc := json.NewEncoder(bw)
		for {
			for _, e := range page.Entries {
				if err := enc.Encode(e); err != nil {
					return nil // the client went away
				}
			}
			if page.Next == 0 {
				return bw.Flush()
			}
			q.After = page.Next
			if page, err = a.Audit(r.Context(), q); err != nil {
				log.Error("audit export stopped", "err", err)
				return nil // the status line is gone; the cut file fails to verify
			}
		}
	})
}

func apiAuditVerify(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		rep, err := a.VerifyAudit(r.Context())
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, rep)
	})
}

type inviteRequest struct {
	Language      string `json:"language"`
	ExpiresInDays int    `json:"expires_in_days"`
}

func apiInvitationCreate(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		var req inviteRequest
		if err := decode(w, r, &req); err != nil {
			return err
		}
		inv, token, err := a.InviteClient(r.Context(), r.PathValue("ref"), req.Language, time.Duration(req.ExpiresInDays)*24*time.Hour)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusCreated, map[string]any{"invitation": inv, "link": a.Link("/invite/" + token)})
	})
}

func apiInvitationList(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		invs, err := a.Invitations(r.Context(), r.PathValue("ref"))
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, map[string]any{"invitations": invs})
	})
}

func apiInvitationRevoke(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			return sanctuary.Errorf(sanctuary.ENOTFOUND, "no such invitation")
		}
		return noContent(w, a.RevokeInvitation(r.Context(), r.PathValue("ref"), id))
	})
}

type breakGlassRequest struct {
	Reason string `json:"reason"`
}

func apiBreakGlass(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		var req breakGlassRequest
		if err := decode(w, r, &req); err != nil {
			return err
		}
		until, err := a.BreakGlass(r.Context(), r.PathValue("ref"), req.Reason)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, map[string]time.Time{"until": until})
	})
}

func apiTokenList(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		ts, err := a.APITokens(r.Context())
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, map[string]any{"tokens": ts})
	})
}

func apiTokenRevoke(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			return sanctuary.Errorf(sanctuary.ENOTFOUND, "no such token")
		}
		return noContent(w, a.RevokeAPIToken(r.Context(), id))
	})
}
