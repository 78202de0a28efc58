package app

import (
	"context"
	"slices"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/audit"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// AssignCase puts a lawyer or caseworker on a case's team, from the
// server's shell: the operator's repair for a case that nobody can open
// (its team was emptied before updates refused that, or every member
// left). It needs no member of the case, reads none of its client data,
// and is written in the audit trail and on the case's timeline, where
// the team sees it.
func (a *App) AssignCase(ctx context.Context, ref, email string) (casefile.Case, error) {
	e, msg := account.NormalizeEmail(email)
	if msg != "" {
		return casefile.Case{}, sanctuary.Invalid("the case's team cannot be set", map[string]string{"add": msg})
	}
	var c casefile.Case
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		p, found, err := lookUpCase(ctx, tx, ref, ActCaseAssign, "case team") // no member needed: that is the point
		if err != nil {
			return err
		}
		c = found
		if slices.Contains(c.Assignees, e) {
			return sanctuary.Errorf(sanctuary.ECONFLICT, "%s is on the team of %s already", e, c.Reference)
		}
		if err := checkTeam(ctx, tx, "add", []string{e}); err != nil {
			return err
		}
		old := slices.Clone(c.Assignees)
		c.Assignees = append(c.Assignees, e)
		if err := tx.UpdateCaseTeam(ctx, &c); err != nil {
			return err
		}
		tx.Audit(entry(p, ActCaseAssign, audit.Allowed, c.Reference, "case team", "added "+e+" to the team"))
		return record(ctx, tx, c, p.Actor(), casefile.EventCaseUpdated, casefile.EventDetail{Fields: []string{"assignees"},
			Changes: []casefile.Change{{Field: "assignees", From: old, To: c.Assignees}}, Reason: "team repaired from the server's shell"})
	})
	if err != nil {
		return casefile.Case{}, err
	}
	// The caller is the operator, who may not read the case: only its team.
	return casefile.Case{ID: c.ID, Reference: c.Reference, Status: c.Status, Assignees: c.Assignees, Version: c.Version}, nil
}
