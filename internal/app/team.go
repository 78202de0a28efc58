package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// A case's team is its assignees: the email addresses of lawyers' and
// caseworkers' accounts. Only they, the case's client, and an admin
// holding a break-glass grant can open it — so a case must never be left
// without a live member (an account of a lawyer or caseworker that is not
// disabled; one still being set up counts): an update that would empty
// the team is refused, the last live member cannot be disabled, and the
// operator can put someone on a case that has nobody (AssignCase).

// errEmptyTeam is the refusal of an update that would leave a case with
// nobody who can open it.
const errEmptyTeam = "a case needs at least one lawyer or caseworker on its team: without one, nobody could open it"

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

// lastMemberOf refuses to take the account with the email off every
// team it is the last live member of, naming those cases.
func lastMemberOf(ctx context.Context, tx *store.Tx, email, what string) error {
	cases, err := tx.CasesOnlyStaffedBy(ctx, email)
	if err != nil || len(cases) == 0 {
		return err
	}
	refs := make([]string, 0, len(cases))
	for _, c := range cases {
		refs = append(refs, c.Reference)
	}
	const shown = 20
	list := strings.Join(refs[:min(len(refs), shown)], ", ")
	if len(refs) > shown {
		list += fmt.Sprintf(" and %d more", len(refs)-shown)
	}
	return sanctuary.Errorf(sanctuary.ECONFLICT,
		"%s cannot be %s: it is the last lawyer or caseworker on %d case(s), which nobody could open any more: %s; "+
			"put a colleague on their team first (on the case's edit page, or: sanctuary case assign REF --add EMAIL)",
		email, what, len(refs), list)
}

// withCreator puts the staff member opening a case on its team.
func withCreator(p sanctuary.Principal, team []string) []string {
	if (p.Role == sanctuary.RoleLawyer || p.Role == sanctuary.RoleCaseworker) && !slices.Contains(team, p.Email) {
		return append(team, p.Email)
	}
	return team
}
