package app

import (
	"context"
	"slices"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/audit"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// principal returns who is acting, from the context.
func principal(ctx context.Context) (sanctuary.Principal, error) {
	p, ok := sanctuary.PrincipalFrom(ctx)
	if !ok {
		return p, sanctuary.Errorf(sanctuary.EUNAUTHORIZED, "sign in first")
	}
	return p, nil
}

// actor returns the name the acting principal is recorded under.
func actor(ctx context.Context) (string, error) {
	p, err := principal(ctx)
	return p.Actor(), err
}

// unaudited are the actions that touch no client data.
// (A revocation has an audit entry of its own.)
var unaudited = map[Action]bool{ActKnowledgeRead: true, ActVocabularyRead: true, ActTokenManage: true}

// allow decides an action that is not done on one case, and records the
// decision in the audit trail.
func (a *App) allow(ctx context.Context, tx *store.Tx, act Action, object string) (sanctuary.Principal, error) {
	p, err := principal(ctx)
	if err != nil {
		return p, err
	}
	if why := roleDenial(p, act); why != "" {
		tx.Audit(entry(p, act, audit.Denied, "", object, why))
		return p, &sanctuary.Error{Code: sanctuary.EFORBIDDEN, Message: why}
	}
	if !unaudited[act] {
		tx.Audit(entry(p, act, audit.Allowed, "", object, ""))
	}
	return p, nil
}

// permit decides an action that needs no transaction of its own, and
// records the decision.
func (a *App) permit(ctx context.Context, act Action, object string) (p sanctuary.Principal, err error) {
	err = a.db.View(ctx, func(tx *store.Tx) error {
		p, err = a.allow(ctx, tx, act, object)
		return err
	})
	return p, err
}

// openCase finds the case named by ref and decides whether the acting
// principal may do act on it; the decision, either way, goes into the
// audit trail. A case the principal may not see is reported exactly like
// one that does not exist, so that guessing references reveals nothing.
func (a *App) openCase(ctx context.Context, tx *store.Tx, ref string, act Action, object string) (casefile.Case, error) {
	p, c, err := lookUpCase(ctx, tx, ref, act, object)
	if err != nil {
		return c, err
	}
	if policy[act].perCase {
		ok, err := member(ctx, tx, p, c)
		if err != nil {
			return c, err
		}
		if !ok {
			tx.Audit(entry(p, act, audit.Denied, c.Reference, object, "not on the case's team"))
			return casefile.Case{}, sanctuary.Errorf(sanctuary.ENOTFOUND, "no case %s", ref) // as the store says it
		}
	}
	tx.Audit(entry(p, act, audit.Allowed, c.Reference, object, ""))
	return c, nil
}

// lookUpCase is the part of openCase that comes before membership: who
// acts, whether their role may do act at all, and the case itself; each
// refusal goes into the audit trail (a malformed reference as
// "(malformed)", never as typed).
func lookUpCase(ctx context.Context, tx *store.Tx, ref string, act Action, object string) (sanctuary.Principal, casefile.Case, error) {
	p, err := principal(ctx)
	if err != nil {
		return p, casefile.Case{}, err
	}
	caseRef := ref
	if !casefile.ValidReference(ref) {
		caseRef = "(malformed)"
	}
	if why := roleDenial(p, act); why != "" {
		tx.Audit(entry(p, act, audit.Denied, caseRef, object, why))
		return p, casefile.Case{}, &sanctuary.Error{Code: sanctuary.EFORBIDDEN, Message: why}
	}
	c, err := findCase(ctx, tx, ref)
	if sanctuary.ErrorCode(err) == sanctuary.ENOTFOUND {
		tx.Audit(entry(p, act, audit.Denied, caseRef, object, "no such case"))
	} else if err != nil {
		tx.Audit(entry(p, act, audit.Denied, caseRef, object, "error reading the case"))
	}
	return p, c, err
}

// member reports whether the principal belongs to the case: on its team,
// holding a break-glass grant for it (admins), or its client.
func member(ctx context.Context, tx *store.Tx, p sanctuary.Principal, c casefile.Case) (bool, error) {
	switch p.Role {
	case sanctuary.RoleLawyer, sanctuary.RoleCaseworker:
		return slices.Contains(c.Assignees, p.Email), nil
	case sanctuary.RoleAdmin:
		return tx.BreakGlassActive(ctx, p.UserID, c.ID)
	case sanctuary.RoleClient:
		return p.CaseID == c.ID, nil
	}
	return false, nil
}

// visibility is what a principal may see of the case list.
func visibility(p sanctuary.Principal) *store.Visibility {
	return &store.Visibility{Email: p.Email, UserID: p.UserID, CaseID: p.CaseID}
}

func entry(p sanctuary.Principal, act Action, outcome, caseRef, object, detail string) audit.Entry {
	return audit.Entry{Actor: p.Actor(), Role: string(p.Role), Via: p.Via, Action: string(act), Outcome: outcome,
		CaseRef: caseRef, Object: object, Detail: detail}
}

// principalMay decides an action that touches no client data and is not
// audited, without the database.
func principalMay(ctx context.Context, act Action) (sanctuary.Principal, error) {
	p, err := principal(ctx)
	if err != nil {
		return p, err
	}
	if why := roleDenial(p, act); why != "" {
		return p, &sanctuary.Error{Code: sanctuary.EFORBIDDEN, Message: why}
	}
	return p, nil
}

// staffPrincipal returns the acting principal if it is a staff account
// (signed in, by token or on the command line), else EFORBIDDEN.
func staffPrincipal(ctx context.Context) (sanctuary.Principal, error) {
	p, err := principal(ctx)
	if err != nil {
		return p, err
	}
	if p.UserID == 0 || !p.Role.Staff() {
		return p, sanctuary.Errorf(sanctuary.EFORBIDDEN, "only a staff account has sessions, passkeys and API tokens")
	}
	return p, nil
}
