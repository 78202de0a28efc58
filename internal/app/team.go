package app

import (
	"context"
	"fmt"
	"slices"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// A case's team is its assignees: the email addresses of lawyers' and
// caseworkers' accounts. Only they, the case's client, and an admin
// holding a break-glass grant can open it.

// normalTeam normalises the assignees' addresses, reporting problems by
// field.
func normalTeam(field string, as []string) ([]string, map[string]string) {
	errs := map[string]string{}
	out := make([]string, 0, len(as))
	for i, a := range as {
		e, msg := account.NormalizeEmail(a)
		key := fmt.Sprintf("%s[%d]", field, i)
		switch {
		case msg != "":
			errs[key] = "must be the email address of a staff account: " + msg
		case slices.Contains(out, e):
			errs[key] = fmt.Sprintf("%s is listed twice", e)
		}
		out = append(out, e)
	}
	return out, errs
}

// checkTeam checks that every assignee is a live account of a lawyer or
// caseworker.
func checkTeam(ctx context.Context, tx *store.Tx, field string, as []string) error {
	errs := map[string]string{}
	for i, e := range as {
		u, err := tx.UserByEmail(ctx, e)
		key := fmt.Sprintf("%s[%d]", field, i)
		switch {
		case sanctuary.ErrorCode(err) == sanctuary.ENOTFOUND:
			errs[key] = "no staff account " + e
		case err != nil:
			return err
		case u.Status == account.StatusDisabled:
			errs[key] = "the account " + e + " is disabled"
		case u.Role != sanctuary.RoleLawyer && u.Role != sanctuary.RoleCaseworker:
			errs[key] = "only lawyers and caseworkers join a case's team; " + e + " is " + string(u.Role)
		}
	}
	if len(errs) > 0 {
		return sanctuary.Invalid("the case's team cannot be set", errs)
	}
	return nil
}

// withCreator puts the staff member opening a case on its team.
func withCreator(p sanctuary.Principal, team []string) []string {
	if (p.Role == sanctuary.RoleLawyer || p.Role == sanctuary.RoleCaseworker) && !slices.Contains(team, p.Email) {
		return append(team, p.Email)
	}
	return team
}
