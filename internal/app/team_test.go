package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

// TestTeam_NeverEmptied checks that no update leaves a case without a
// lawyer or caseworker who can open it: an empty team is refused and
// nothing is written; a team of only a disabled account is refused.
func TestTeam_NeverEmptied(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c := mustCreate(t, a)
		for name, team := range map[string][]string{"empty": {}, "a disabled account only": {"gone@ngo.example"}} {
			if name != "empty" {
				disabledAccount(t, db, "gone@ngo.example")
			}
			_, err := a.UpdateCase(actorCtx(), c.Reference, app.CaseUpdate{Assignees: &team})
			if sanctuary.ErrorCode(err) != sanctuary.EINVALID || sanctuary.AsError(err).Fields == nil {
				t.Errorf("%s team: %v, want EINVALID naming the field", name, err)
			}
		}
		got, err := a.GetCase(actorCtx(), c.Reference)
		if err != nil || got.Version != c.Version || !slices.Equal(got.Assignees, c.Assignees) {
			t.Errorf("after refused updates: %v %v (version %d, want %d)", got.Assignees, err, got.Version, c.Version)
		}
	})
}

// TestTeam_LastMemberCannotBeDisabled refuses to disable the last live
// lawyer or caseworker of a case, naming the case; once a colleague is on
// the team, the account can be disabled.
func TestTeam_LastMemberCannotBeDisabled(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c := mustCreate(t, a) // Lena and Omar
		if err := a.DisableUser(operatorCtx(), omar); err != nil {
			t.Fatalf("disabling one of two: %v", err)
		}
		err := a.DisableUser(operatorCtx(), lena)
		if sanctuary.ErrorCode(err) != sanctuary.ECONFLICT || !strings.Contains(err.Error(), c.Reference) {
			t.Fatalf("disabling the last one: %v, want ECONFLICT naming %s", err, c.Reference)
		}
		if _, err := a.GetCase(actorCtx(), c.Reference); err != nil {
			t.Errorf("the case after the refusal: %v", err)
		}
		if _, err := a.AssignCase(operatorCtx(), c.Reference, nadia); err != nil {
			t.Fatal(err)
		}
		if err := a.DisableUser(operatorCtx(), lena); err != nil {
			t.Errorf("disabling with Nadia on the team: %v", err)
		}
	})
}

// TestTeam_OperatorRepairsAnOrphanedCase makes a case with no team in the
// store, as the old bug did, and puts a caseworker on it from the
// server's shell: the case can be opened again, the repair is in the
// audit trail and on the timeline; a disabled or non-staff account, and
// anyone but the operator, are refused.
func TestTeam_OperatorRepairsAnOrphanedCase(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c := mustCreate(t, a)
		orphan(t, db, c.Reference)
		if _, err := a.GetCase(actorCtx(), c.Reference); sanctuary.ErrorCode(err) != sanctuary.ENOTFOUND {
			t.Fatalf("the orphaned case: %v", err)
		}
		disabledAccount(t, db, "gone@ngo.example")
		for who, ctx := range map[string]context.Context{"a caseworker": asUser(t, db, nadia), "an admin": asUser(t, db, admin)} {
			if _, err := a.AssignCase(ctx, c.Reference, nadia); sanctuary.ErrorCode(err) != sanctuary.EFORBIDDEN {
				t.Errorf("%s repairs a team: %v", who, err)
			}
		}
		for _, bad := range []string{"gone@ngo.example", admin, aud, "nobody@ngo.example", "not an email"} {
			if _, err := a.AssignCase(operatorCtx(), c.Reference, bad); sanctuary.ErrorCode(err) != sanctuary.EINVALID {
				t.Errorf("putting %s on the team: %v, want EINVALID", bad, err)
			}
		}
		if _, err := a.AssignCase(operatorCtx(), "SN-2020-9999", nadia); sanctuary.ErrorCode(err) != sanctuary.ENOTFOUND {
			t.Errorf("a case that does not exist: %v", err)
		}
		fixed, err := a.AssignCase(operatorCtx(), c.Reference, "Nadia@NGO.example")
		if err != nil || !slices.Equal(fixed.Assignees, []string{nadia}) {
			t.Fatalf("repair: %v %v", fixed.Assignees, err)
		}
		if _, err := a.AssignCase(operatorCtx(), c.Reference, nadia); sanctuary.ErrorCode(err) != sanctuary.ECONFLICT {
			t.Errorf("adding a member twice: %v", err)
		}
		nctx := asUser(t, db, nadia)
		if got, err := a.GetCase(nctx, c.Reference); err != nil || got.Person.NameLatin.Family != "Morozov" {
			t.Fatalf("the repaired case: %+v %v", got.Person.NameLatin, err)
		}
		page, err := a.Audit(asUser(t, db, aud), app.AuditQuery{Action: string(app.ActCaseAssign), Case: c.Reference, Outcome: "allowed"})
		if err != nil || len(page.Entries) != 1 || page.Entries[0].Actor != "operator" || page.Entries[0].Outcome != "allowed" ||
			!strings.Contains(page.Entries[0].Detail, nadia) {
			t.Errorf("audit trail: %+v %v", page.Entries, err)
		}
		tl, err := a.Timeline(nctx, c.Reference, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		last := tl.Events[len(tl.Events)-1]
		if d, _ := last.DecodeDetail(); last.Actor != "operator" || last.Kind != casefile.EventCaseUpdated || !slices.Contains(d.Fields, "assignees") {
			t.Errorf("timeline: %+v %+v", last, d)
		}
	})
}

// orphan empties the case's team directly in the store, as the old
// PATCH {"assignees": []} did.
func orphan(t *testing.T, db *store.DB, ref string) {
	t.Helper()
	ctx := context.Background()
	err := db.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.CaseByReference(ctx, ref)
		if err != nil {
			return err
		}
		c.Assignees = []string{}
		return tx.UpdateCase(ctx, &c)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// disabledAccount makes a disabled caseworker's account.
func disabledAccount(t *testing.T, db *store.DB, email string) {
	t.Helper()
	ctx := context.Background()
	u := account.User{Email: email, Role: sanctuary.RoleCaseworker, Language: "en", Status: account.StatusDisabled, CreatedBy: "test"}
	err := db.Update(ctx, func(tx *store.Tx) error { return tx.InsertUser(ctx, &u) })
	if err != nil && sanctuary.ErrorCode(err) != sanctuary.ECONFLICT {
		t.Fatal(err)
	}
}
