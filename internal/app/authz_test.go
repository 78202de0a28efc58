package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/audit"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

// auditOf returns the audit trail, read as the auditor.
func auditOf(t *testing.T, db *store.DB, a *app.App, q app.AuditQuery) []audit.Entry {
	t.Helper()
	q.Limit = app.MaxAuditPage
	page, err := a.Audit(asUser(t, db, aud), q)
	if err != nil {
		t.Fatal(err)
	}
	return page.Entries
}

// TestAuthz_OutsidersSeeNothingAndAreRecorded: a caseworker of another
// team, an auditor and an admin without break-glass cannot open a case;
// for the caseworker a guessed reference looks exactly like one that does
// not exist; every attempt is in the audit trail.
func TestAuthz_OutsidersSeeNothingAndAreRecorded(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c := mustCreate(t, a)
		_, errReal := a.GetCase(asUser(t, db, nadia), c.Reference)
		_, errNone := a.GetCase(asUser(t, db, nadia), "SN-2026-9999")
		e1, e2 := wantCode(t, errReal, sanctuary.ENOTFOUND), wantCode(t, errNone, sanctuary.ENOTFOUND)
		if e1.Message != strings.ReplaceAll(e2.Message, "SN-2026-9999", c.Reference) || e1.Fields != nil || e2.Fields != nil {
			t.Errorf("the answers differ in more than the reference: %q / %q", e1.Message, e2.Message)
		}
		_, err := a.GetCase(asUser(t, db, aud), c.Reference)
		wantCode(t, err, sanctuary.EFORBIDDEN)
		_, err = a.GetCase(asUser(t, db, admin), c.Reference)
		wantCode(t, err, sanctuary.ENOTFOUND)
		page, err := a.ListCases(asUser(t, db, nadia), app.CaseQuery{})
		if err != nil || len(page.Cases) != 0 {
			t.Errorf("nadia lists %d cases, %v", len(page.Cases), err)
		}
		if _, err := a.Audit(actorCtx(), app.AuditQuery{}); sanctuary.ErrorCode(err) != sanctuary.EFORBIDDEN {
			t.Errorf("a caseworker read the audit trail: %v", err)
		}

		denied := auditOf(t, db, a, app.AuditQuery{Outcome: audit.Denied})
		var got []string
		for _, e := range denied {
			got = append(got, e.Actor+" "+e.Action+" "+e.CaseRef+" "+e.Detail)
		}
		for _, want := range []string{
			nadia + " case.read " + c.Reference + " not on the case's team",
			nadia + " case.read SN-2026-9999 no such case",
			aud + " case.read " + c.Reference + " the role auditor may not case.read",
			admin + " case.read " + c.Reference + " not on the case's team",
			lena + " audit.read  the role caseworker may not audit.read",
		} {
			if !slices.Contains(got, want) {
				t.Errorf("the audit trail lacks %q; it has:\n%q", want, got)
			}
		}
	})
}

// TestAuthz_BreakGlass: an admin opens a case not theirs only with a
// written reason, for an hour; the team sees it on the timeline.
func TestAuthz_BreakGlass(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c := mustCreate(t, a)
		root := asUser(t, db, admin)
		_, err := a.BreakGlass(root, c.Reference, "too short")
		wantCode(t, err, sanctuary.EINVALID)
		_, err = a.BreakGlass(actorCtx(), c.Reference, "a caseworker may not break the glass at all")
		wantCode(t, err, sanctuary.EFORBIDDEN)
		until, err := a.BreakGlass(root, c.Reference, "Lena is on leave and the hearing is tomorrow morning")
		if err != nil || until.Sub(db.Now()) > time.Hour+time.Minute {
			t.Fatalf("break-glass until %v, %v", until, err)
		}
		if _, err := a.LoadCase(root, c.Reference, 0); err != nil {
			t.Errorf("the admin cannot read after break-glass: %v", err)
		}
		if page, _ := a.ListCases(root, app.CaseQuery{}); len(page.Cases) != 1 {
			t.Errorf("the admin lists %d cases", len(page.Cases))
		}
		kinds := timelineKinds(t, a, c.Reference)
		if !slices.Contains(kinds, string(casefile.EventBreakGlass)) {
			t.Errorf("timeline %v lacks the break-glass", kinds)
		}
		es := auditOf(t, db, a, app.AuditQuery{Action: string(app.ActBreakGlass)})
		if len(es) != 2 || es[1].Outcome != audit.Allowed || es[1].CaseRef != c.Reference || strings.Contains(es[1].Detail, "hearing") {
			t.Errorf("break-glass entries: %+v", es)
		}
		later := db.Now().Add(61 * time.Minute)
		db.Now = func() time.Time { return later }
		_, err = a.GetCase(root, c.Reference)
		wantCode(t, err, sanctuary.ENOTFOUND)
	})
}

// TestAuthz_Client: a client, through their invitation, answers questions
// (always as their own statements) and sees nothing else of the case, and
// nothing of any other.
func TestAuthz_Client(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c, other := mustCreate(t, a), mustCreate(t, a)
		client := sanctuary.WithPrincipal(context.Background(), sanctuary.Principal{Role: sanctuary.RoleClient,
			CaseID: c.ID, InvitationID: 1, Via: "test"})
		f, err := a.SetFact(client, c.Reference, casefile.FactInput{Name: "has_summons", Value: json.RawMessage(`true`),
			Source: casefile.SourceDocument})
		if err != nil || f.Source != casefile.SourceStatement || f.RecordedBy != "client:invitation-1" {
			t.Errorf("the client's answer: %+v, %v", f, err)
		}
		if facts, err := a.Facts(client, c.Reference); err != nil || len(facts) != 1 {
			t.Errorf("the client reads back %v, %v", facts, err)
		}
		// A fact the caseworker recorded from a document is not the
		// client's to overwrite.
		if _, err := a.SetFact(actorCtx(), c.Reference, casefile.FactInput{Name: "summons_form", Value: json.RawMessage(`"paper"`),
			Source: casefile.SourceDocument}); err != nil {
			t.Fatal(err)
		}
		_, err = a.SetFact(client, c.Reference, casefile.FactInput{Name: "summons_form", Value: json.RawMessage(`"electronic"`)})
		if e := wantCode(t, err, sanctuary.EFORBIDDEN); e.Fields["name"] == "" {
			t.Errorf("refusal without its field: %+v", e)
		}
		for name, err := range map[string]error{
			"case":     second(a.GetCase(client, c.Reference)),
			"notes":    second(a.Notes(client, c.Reference)),
			"timeline": second(a.Timeline(client, c.Reference, 0, 0)),
			"list":     second(a.ListCases(client, app.CaseQuery{})),
			"note add": second(a.AddNote(client, c.Reference, "hello")),
		} {
			if sanctuary.ErrorCode(err) != sanctuary.EFORBIDDEN {
				t.Errorf("client %s: %v", name, err)
			}
		}
		_, err = a.Facts(client, other.Reference)
		wantCode(t, err, sanctuary.ENOTFOUND)
	})
}

func second[T any](_ T, err error) error { return err }

// TestAuthz_TokenScopes: an API token does only what its scopes allow,
// even where its staff member could do more.
func TestAuthz_TokenScopes(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c := mustCreate(t, a)
		ro := sanctuary.WithPrincipal(context.Background(), sanctuary.Principal{Role: sanctuary.RoleCaseworker,
			Email: lena, Via: "api", Scopes: []string{app.ScopeCasesRead}, TokenID: 1})
		if _, err := a.GetCase(ro, c.Reference); err != nil {
			t.Errorf("read with cases:read: %v", err)
		}
		_, err := a.AddNote(ro, c.Reference, "written with a read-only token")
		e := wantCode(t, err, sanctuary.EFORBIDDEN)
		if e.Message != "the API token's scopes do not include cases:write" {
			t.Errorf("message %q", e.Message)
		}
	})
}

// TestAudit_EveryReadRecordedAndVerified reads a case several ways and
// finds each read in the trail, which verifies; a forged anchor is found.
func TestAudit_EveryReadRecordedAndVerified(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEvidenceApp(t, db)
		a := e.app
		c := mustCreate(t, a)
		ctx := actorCtx()
		a.GetCase(ctx, c.Reference)
		a.LoadCase(ctx, c.Reference, 10)
		a.Facts(ctx, c.Reference)
		a.Notes(ctx, c.Reference)
		a.Timeline(ctx, c.Reference, 0, 0)
		a.ListCases(ctx, app.CaseQuery{Name: "Morozov Kirill"})
		it, err := a.AddEvidence(ctx, c.Reference, summonsMeta(), strings.NewReader("fictional summons"))
		if err != nil {
			t.Fatal(err)
		}
		f, err := a.OpenEvidence(ctx, c.Reference, it.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		if _, err := a.ExportCase(ctx, c.Reference); err != nil {
			t.Fatal(err)
		}
		es := auditOf(t, db, a, app.AuditQuery{Actor: lena})
		var objects []string
		for _, x := range es {
			objects = append(objects, x.Action+" "+x.Object)
		}
		for _, want := range []string{"case.create case", "case.read case record", "case.read case file", "fact.read facts",
			"case.read notes", "case.read timeline", "case.list cases by name", "evidence.add evidence",
			fmt.Sprintf("evidence.open evidence %d", it.ID), "case.export case file"} {
			if !slices.Contains(objects, want) {
				t.Errorf("no audit entry %q in %q", want, objects)
			}
		}
		for _, x := range es {
			if x.Detail != "" && x.Outcome == audit.Allowed {
				t.Errorf("an allowed read carries detail %q", x.Detail)
			}
		}
		an, ok, err := a.AnchorAudit(operatorCtx())
		if err != nil || !ok || an.Seq < int64(len(es)) {
			t.Fatalf("anchor %+v %v %v", an, ok, err)
		}
		if _, ok, _ := a.AnchorAudit(operatorCtx()); ok {
			t.Error("a second anchor with no new entry")
		}
		rep, err := a.VerifyAudit(operatorCtx())
		if err != nil || !rep.OK() || rep.Anchored != an.Seq || rep.Entries != int(rep.Head) {
			t.Errorf("verify: %+v, %v", rep, err)
		}
		forged := audit.Anchor{Seq: 2, Hash: "00", LogIndex: an.LogIndex}
		if err := db.Update(context.Background(), func(tx *store.Tx) error { return tx.InsertAuditAnchor(context.Background(), forged) }); err != nil {
			t.Fatal(err)
		}
		if rep, _ := a.VerifyAudit(operatorCtx()); rep.OK() || len(rep.Problems) != 2 {
			t.Errorf("a forged anchor passed: %+v", rep)
		}
	})
}

// TestAudit_InsiderRewriteFound plays an insider with full write access to
// the database: they drop the append-only triggers, change who read a case,
// compute the whole chain again and delete the anchor rows. The anchors in
// the custody log still give them away.
func TestAudit_InsiderRewriteFound(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEvidenceApp(t, db)
		a := e.app
		c := mustCreate(t, a)
		a.GetCase(actorCtx(), c.Reference)
		if _, ok, err := a.AnchorAudit(operatorCtx()); !ok || err != nil {
			t.Fatalf("anchor: %v %v", ok, err)
		}
		ctx := context.Background()
		drop := []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`, `DROP TRIGGER audit_anchors_no_delete`}
		if db.Dialect() == "postgres" {
			drop = []string{`DROP TRIGGER audit_log_append_only ON audit_log`, `DROP TRIGGER audit_anchors_append_only ON audit_anchors`}
		}
		var es []audit.Entry
		db.View(ctx, func(tx *store.Tx) (err error) { es, err = tx.AuditEntries(ctx, store.AuditFilter{}); return err })
		qs := drop
		prev := ""
		for i := range es {
			if es[i].Action == "case.read" {
				es[i].Actor = "someone.else@ngo.example"
			}
			es[i].Hash = es[i].ComputeHash(prev)
			prev = es[i].Hash
			qs = append(qs, fmt.Sprintf(`UPDATE audit_log SET actor = '%s', hash = '%s' WHERE seq = %d`, es[i].Actor, es[i].Hash, es[i].Seq))
		}
		qs = append(qs, fmt.Sprintf(`UPDATE audit_head SET hash = '%s'`, prev), `DELETE FROM audit_anchors`)
		storetest.Exec(t, db, qs...)
		rep, err := a.VerifyAudit(operatorCtx())
		if err != nil || rep.OK() {
			t.Fatalf("the rewritten trail passed: %+v, %v", rep, err)
		}
		t.Logf("found: %q", rep.Problems)
	})
}

// TestAdmin_LimitsOfPower: what an admin cannot do quietly. Resetting a
// team member's account is written on their cases' timelines; an admin in
// on break-glass cannot change the team; no API token manages accounts.
func TestAdmin_LimitsOfPower(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c := mustCreate(t, a)
		root := asUser(t, db, admin)
		if _, err := a.ResetUser(root, omar); err != nil {
			t.Fatal(err)
		}
		if kinds := timelineKinds(t, a, c.Reference); !slices.Contains(kinds, string(casefile.EventMemberReset)) {
			t.Errorf("the team was not told of the reset: %v", kinds)
		}
		if _, err := a.BreakGlass(root, c.Reference, "the team is away and a deadline falls today"); err != nil {
			t.Fatal(err)
		}
		team := []string{lena, nadia}
		_, err := a.UpdateCase(root, c.Reference, app.CaseUpdate{Assignees: &team})
		wantCode(t, err, sanctuary.EFORBIDDEN)
		p, _ := sanctuary.PrincipalFrom(root)
		p.TokenID, p.Scopes, p.Via = 9, app.Scopes(), "api"
		_, _, err = a.AddUser(sanctuary.WithPrincipal(context.Background(), p), app.NewUser{Email: "x@ngo.example", Role: sanctuary.RoleLawyer})
		wantCode(t, err, sanctuary.EFORBIDDEN)
	})
}
