package app_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
	"github.com/sanctuary-platform/sanctuary/knowledge"
)

// defaultPack is the knowledge pack built into Sanctuary, loaded once.
var defaultPack = sync.OnceValues(knowledge.Load)

func newApp(t testing.TB, db *store.DB) *app.App {
	t.Helper()
	p, err := defaultPack()
	if err != nil {
		t.Fatal(err)
	}
	seedStaff(t, db)
	return app.New(db, p, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// The staff of the tests (fictional): Lena is the caseworker acting in
// most of them.
const (
	lena  = "lena@ngo.example"  // caseworker on the test cases
	omar  = "omar@ngo.example"  // lawyer on the test cases
	nadia = "nadia@ngo.example" // caseworker on no case
	admin = "root@ngo.example"  // admin
	aud   = "audit@ngo.example" // auditor
)

// seedStaff makes the test accounts, if they are not there yet.
func seedStaff(t testing.TB, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	for email, role := range map[string]sanctuary.Role{lena: sanctuary.RoleCaseworker, omar: sanctuary.RoleLawyer,
		nadia: sanctuary.RoleCaseworker, admin: sanctuary.RoleAdmin, aud: sanctuary.RoleAuditor} {
		u := account.User{Email: email, Role: role, Language: "en", Status: account.StatusActive, CreatedBy: "test"}
		err := db.Update(ctx, func(tx *store.Tx) error { return tx.InsertUser(ctx, &u) })
		if err != nil && sanctuary.ErrorCode(err) != sanctuary.ECONFLICT {
			t.Fatal(err)
		}
	}
}

// actorCtx acts as Lena, the caseworker on the test cases.
func actorCtx() context.Context {
	return sanctuary.WithPrincipal(context.Background(),
		sanctuary.Principal{Role: sanctuary.RoleCaseworker, Email: lena, Via: "test"})
}

// asUser acts as an existing account, with its ID.
func asUser(t testing.TB, db *store.DB, email string) context.Context {
	t.Helper()
	var u account.User
	err := db.View(context.Background(), func(tx *store.Tx) (err error) { u, err = tx.UserByEmail(context.Background(), email); return err })
	if err != nil {
		t.Fatal(err)
	}
	return sanctuary.WithPrincipal(context.Background(), sanctuary.Principal{Role: u.Role, UserID: u.ID, Email: u.Email, Via: "test"})
}

// lawyerCtx acts as Omar, the lawyer on the test cases.
func lawyerCtx() context.Context {
	return sanctuary.WithPrincipal(context.Background(),
		sanctuary.Principal{Role: sanctuary.RoleLawyer, Email: omar, Via: "test"})
}

// operatorCtx acts as the operator (maintenance from the shell).
func operatorCtx() context.Context {
	return sanctuary.WithPrincipal(context.Background(), sanctuary.Principal{Role: sanctuary.RoleOperator, Via: "test"})
}

func sampleCase() app.NewCase {
	return app.NewCase{
		Person: casefile.Person{
			Identity: casefile.Identity{
				NameLatin:    casefile.Name{Family: "Morozov", Given: "Kirill"},
				NameCyrillic: casefile.Name{Family: "Морозов", Given: "Кирилл", Patronymic: "Олегович"},
			},
			Citizenships: []string{"RU"},
			Languages:    []string{"ru"},
		},
		Destinations: []string{"DE"},
		Assignees:    []string{lena, omar},
	}
}

func mustCreate(t *testing.T, a *app.App) casefile.Case {
	t.Helper()
	c, err := a.CreateCase(actorCtx(), sampleCase())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func wantCode(t *testing.T, err error, code string) *sanctuary.Error {
	t.Helper()
	if got := sanctuary.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
	return sanctuary.AsError(err)
}

// timelineKinds returns the kinds of the case's events, to check that a
// refused request wrote nothing.
func timelineKinds(t *testing.T, a *app.App, ref string) []string {
	t.Helper()
	p, err := a.Timeline(actorCtx(), ref, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range p.Events {
		kinds = append(kinds, string(e.Kind))
	}
	return kinds
}

func TestCreateCase_OK(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c := mustCreate(t, a)
		if !casefile.ValidReference(c.Reference) || c.Status != casefile.StatusIntake || c.CreatedBy != lena {
			t.Errorf("created case = %+v", c)
		}
		got := timelineKinds(t, a, c.Reference)
		if strings.Join(got, ",") != "case.created" {
			t.Errorf("timeline = %v", got)
		}
	})
}

func TestCreateCase_Invalid(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		n := sampleCase()
		n.Person.NameLatin.Family = "Морозов" // Cyrillic in the Latin field
		future := casefile.Date{Year: 2999, Month: 1, Day: 1}
		n.Person.BirthDate = &future
		n.Person.Citizenships = []string{"XX"}
		n.Destinations = []string{"de"}
		_, err := a.CreateCase(actorCtx(), n)
		e := wantCode(t, err, sanctuary.EINVALID)
		for _, f := range []string{"person.name_latin.family", "person.birth_date", "person.citizenships[0]", "destinations[0]"} {
			if e.Fields[f] == "" {
				t.Errorf("no message for %s; fields = %v", f, e.Fields)
			}
		}
		page, err := a.ListCases(actorCtx(), app.CaseQuery{})
		if err != nil || len(page.Cases) != 0 {
			t.Errorf("after a refused create: %d cases, %v", len(page.Cases), err)
		}
		_, err = a.CreateCase(context.Background(), sampleCase())
		wantCode(t, err, sanctuary.EUNAUTHORIZED) // nobody acting
	})
}

func TestSetFacts_AllOrNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c := mustCreate(t, a)
		ins := []casefile.FactInput{
			{Name: "has_summons", Value: json.RawMessage(`true`), Source: casefile.SourceStatement},
			{Name: "summons_posted_date", Value: json.RawMessage(`"2026-02-30"`), Source: casefile.SourceDocument},
			{Name: "no_such_fact", Value: json.RawMessage(`1`), Source: casefile.SourceStatement},
			{Name: "left_russia", Value: json.RawMessage(`1.5`), Source: casefile.SourceStatement},
		}
		_, err := a.SetFacts(actorCtx(), c.Reference, ins)
		e := wantCode(t, err, sanctuary.EINVALID)
		for _, f := range []string{"facts[1].value", "facts[2].name", "facts[3].value"} {
			if e.Fields[f] == "" {
				t.Errorf("no message for %s; fields = %v", f, e.Fields)
			}
		}
		facts, _ := a.Facts(actorCtx(), c.Reference)
		if len(facts) != 0 {
			t.Errorf("a refused batch wrote %d facts", len(facts))
		}
		got, err := a.SetFacts(actorCtx(), c.Reference, ins[:1])
		if err != nil || got[0].Value == nil || !got[0].Value.Bool {
			t.Fatalf("SetFacts = %+v, %v", got, err)
		}
		// Setting the same answer again changes nothing.
		if _, err := a.SetFacts(actorCtx(), c.Reference, ins[:1]); err != nil {
			t.Fatal(err)
		}
		if k := timelineKinds(t, a, c.Reference); strings.Join(k, ",") != "case.created,fact.set" {
			t.Errorf("timeline = %v", k)
		}
	})
}

func TestFact_UnknownThenKnownThenCleared(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c := mustCreate(t, a)
		ctx := actorCtx()
		unknown := casefile.FactInput{Name: "departure_date", State: casefile.StateUnknown, Source: casefile.SourceStatement}
		if f, err := a.SetFact(ctx, c.Reference, unknown); err != nil || f.State != casefile.StateUnknown || f.Value != nil {
			t.Fatalf("unknown: %+v, %v", f, err)
		}
		bad := unknown
		bad.Value = json.RawMessage(`"2023-01-01"`)
		_, err := a.SetFact(ctx, c.Reference, bad)
		if e := wantCode(t, err, sanctuary.EINVALID); e.Fields["value"] == "" {
			t.Errorf("unknown with a value: fields = %v", e.Fields)
		}
		known := casefile.FactInput{Name: "departure_date", Value: json.RawMessage(`"2022-09-27"`), Source: casefile.SourceDocument}
		if _, err := a.SetFact(ctx, c.Reference, known); err != nil {
			t.Fatal(err)
		}
		if err := a.ClearFact(ctx, c.Reference, "departure_date"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, a.ClearFact(ctx, c.Reference, "departure_date"), sanctuary.ENOTFOUND)
		hist, err := a.FactHistory(actorCtx(), c.Reference, "departure_date")
		if err != nil || len(hist) != 3 || hist[2].State != casefile.StateNotAsked {
			t.Errorf("history = %+v, %v", hist, err)
		}
		_, err = a.FactHistory(actorCtx(), c.Reference, "nonsense")
		wantCode(t, err, sanctuary.EINVALID)
	})
}

func TestTransition_AllowedAndRefused(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c := mustCreate(t, a)
		ctx := actorCtx()
		_, err := a.TransitionCase(ctx, c.Reference, app.Transition{To: casefile.StatusFiled})
		e := wantCode(t, err, sanctuary.ECONFLICT)
		if !strings.Contains(e.Message, "assessment, withdrawn") {
			t.Errorf("refusal does not name the allowed statuses: %q", e.Message)
		}
		_, err = a.TransitionCase(ctx, c.Reference, app.Transition{To: "nowhere"})
		wantCode(t, err, sanctuary.EINVALID)
		got, err := a.TransitionCase(ctx, c.Reference, app.Transition{To: casefile.StatusAssessment, Reason: "story taken"})
		if err != nil || got.Status != casefile.StatusAssessment || got.Version != 2 {
			t.Fatalf("transition = %+v, %v", got, err)
		}
		stale := int64(1)
		_, err = a.TransitionCase(ctx, c.Reference, app.Transition{To: casefile.StatusEvidence, Version: &stale})
		wantCode(t, err, sanctuary.ECONFLICT)
		if k := timelineKinds(t, a, c.Reference); strings.Join(k, ",") != "case.created,status.changed" {
			t.Errorf("timeline = %v", k)
		}
	})
}

func TestUpdateCase_RecordsWhatChanged(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c := mustCreate(t, a)
		p := c.Person
		p.Contacts = []casefile.Contact{{Channel: "email", Value: "k@example.org"}}
		dest := []string{"DE", "NL"}
		got, err := a.UpdateCase(actorCtx(), c.Reference, app.CaseUpdate{Person: &p, Destinations: &dest})
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 || len(got.Destinations) != 2 || len(got.Person.Contacts) != 1 {
			t.Errorf("updated case = %+v", got)
		}
		p2, _ := a.Timeline(actorCtx(), c.Reference, 0, 0)
		last := p2.Events[len(p2.Events)-1]
		d, err := last.DecodeDetail()
		if err != nil || last.Kind != casefile.EventCaseUpdated || strings.Join(d.Fields, ",") != "person.contacts,destinations" {
			t.Errorf("last event = %+v, detail %+v, %v", last, d, err)
		}
		if len(d.Changes) != 1 || strings.Join(d.Changes[0].To, ",") != "DE,NL" {
			t.Errorf("changes = %+v", d.Changes)
		}
		// The same update again changes nothing and records nothing.
		if _, err := a.UpdateCase(actorCtx(), c.Reference, app.CaseUpdate{Destinations: &dest}); err != nil {
			t.Fatal(err)
		}
		if n := len(timelineKinds(t, a, c.Reference)); n != 2 {
			t.Errorf("timeline has %d events, want 2", n)
		}
	})
}

// TestUpdateCase_KeepContacts: a form that does not show the contacts
// changes the person without losing them.
func TestUpdateCase_KeepContacts(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c := mustCreate(t, a)
		p := c.Person
		p.Contacts = []casefile.Contact{{Channel: "signal", Value: "+49 151 0000000"}}
		if _, err := a.UpdateCase(actorCtx(), c.Reference, app.CaseUpdate{Person: &p}); err != nil {
			t.Fatal(err)
		}
		form := c.Person
		form.Contacts = nil
		form.NameLatin.Given = "Timur"
		got, err := a.UpdateCase(actorCtx(), c.Reference, app.CaseUpdate{Person: &form, KeepContacts: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Person.Contacts) != 1 || got.Person.Contacts[0].Channel != "signal" || got.Person.NameLatin.Given != "Timur" {
			t.Errorf("updated person = %+v", got.Person)
		}
	})
}

func TestExportCase_Complete(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c := mustCreate(t, a)
		ctx := actorCtx()
		if _, err := a.AddNote(ctx, c.Reference, "First call on Signal."); err != nil {
			t.Fatal(err)
		}
		if _, err := a.SetFact(ctx, c.Reference, casefile.FactInput{Name: "left_russia", Value: json.RawMessage(`false`), Source: casefile.SourceStatement}); err != nil {
			t.Fatal(err)
		}
		x, err := a.ExportCase(ctx, c.Reference)
		if err != nil {
			t.Fatal(err)
		}
		if x.Format != app.ExportFormat || len(x.Notes) != 1 || len(x.Facts) != 1 || len(x.FactHistory) != 1 {
			t.Errorf("export = %+v", x)
		}
		if last := x.Timeline[len(x.Timeline)-1]; last.Kind != casefile.EventCaseExported {
			t.Errorf("last timeline event = %s, want case.exported", last.Kind)
		}
		b, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		var back app.Export
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("export does not read back: %v", err)
		}
		if !back.Facts[0].Value.Equal(casefile.Bool(false)) {
			t.Errorf("fact read back as %+v", back.Facts[0])
		}
	})
}

func TestUnknownCase_NotFound(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		for _, ref := range []string{"SN-2026-0404", "../../etc/passwd", ""} {
			_, err := a.GetCase(actorCtx(), ref)
			wantCode(t, err, sanctuary.ENOTFOUND)
			_, err = a.AddNote(actorCtx(), ref, "x")
			wantCode(t, err, sanctuary.ENOTFOUND)
		}
	})
}

func TestLoadCase_LatestEvents(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c := mustCreate(t, a)
		for i := range 5 {
			if _, err := a.AddNote(actorCtx(), c.Reference, "note "+string(rune('a'+i))); err != nil {
				t.Fatal(err)
			}
		}
		all, err := a.LoadCase(actorCtx(), c.Reference, 0)
		if err != nil || len(all.Timeline) != 6 || all.OlderEvents {
			t.Fatalf("full: %d events, older %v, %v", len(all.Timeline), all.OlderEvents, err)
		}
		latest, err := a.LoadCase(actorCtx(), c.Reference, 3)
		if err != nil || len(latest.Timeline) != 3 || !latest.OlderEvents {
			t.Fatalf("latest 3: %d events, older %v, %v", len(latest.Timeline), latest.OlderEvents, err)
		}
		if latest.Timeline[0].ID != all.Timeline[3].ID || latest.Timeline[2].ID != all.Timeline[5].ID {
			t.Errorf("latest 3 are not the last 3 in order: %v", latest.Timeline)
		}
		exact, _ := a.LoadCase(actorCtx(), c.Reference, 6)
		if exact.OlderEvents || len(exact.Timeline) != 6 {
			t.Errorf("latest 6 of 6: older %v, %d events", exact.OlderEvents, len(exact.Timeline))
		}
	})
}
