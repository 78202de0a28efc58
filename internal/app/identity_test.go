package app_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

// The canary client: fictional, with values distinctive enough that
// finding one of them in a database dump can only mean a leak.
const (
	canaryFamilyLat = "Xylofanova"
	canaryFamilyCyr = "Ксилофанова"
	canaryPatronym  = "Тимуровна"
	canaryBirth     = "1987-11-23"
	canaryContact   = "@xylofan_canary"
	canaryNote      = "CANARYNOTE hid at her aunt's in Tbilisi"
	canarySpecialty = "CANARYSPECIALTY pontoon bridging"
	canaryReason    = "CANARYREASON she asked to stop"
)

func canaryCase() app.NewCase {
	birth, _ := casefile.ParseDate(canaryBirth)
	return app.NewCase{
		Person: casefile.Person{
			Identity: casefile.Identity{
				NameLatin:    casefile.Name{Family: canaryFamilyLat, Given: "Oksana"},
				NameCyrillic: casefile.Name{Family: canaryFamilyCyr, Given: "Оксана", Patronymic: canaryPatronym},
				BirthDate:    &birth,
				Contacts:     []casefile.Contact{{Channel: "telegram", Value: canaryContact}},
			},
			Citizenships: []string{"RU"},
			Languages:    []string{"ru"},
		},
		Destinations: []string{"DE"},
		Assignees:    []string{omar},
	}
}

// fillCanary gives the canary case a text fact, a note, an assessment and a
// status change with a reason: client data in every sealed column.
func fillCanary(t *testing.T, a *app.App, ref string) {
	t.Helper()
	ctx := actorCtx()
	value, _ := json.Marshal(canarySpecialty)
	if _, err := a.SetFact(ctx, ref, casefile.FactInput{Name: "military_specialty", Value: value, Source: casefile.SourceStatement}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddNote(ctx, ref, canaryNote); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AssessCase(ctx, ref, app.AssessRequest{}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.TransitionCase(ctx, ref, app.Transition{To: casefile.StatusAssessment, Reason: canaryReason}); err != nil {
		t.Fatal(err)
	}
}

// TestIdentity_DatabaseDumpShowsNoClient is the canary test: a client with
// a distinctive name, birth date, contact, fact, note and reason is
// stored; a dump of the database (the SQLite files; pg_dump) holds none of
// them, in plain text or hex. The case reference, which is not secret, is
// found, so the search itself works.
func TestIdentity_DatabaseDumpShowsNoClient(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c, err := a.CreateCase(actorCtx(), canaryCase())
		if err != nil {
			t.Fatal(err)
		}
		fillCanary(t, a, c.Reference)
		dump := storetest.Dump(t, db)
		if !containsAnyForm(dump, c.Reference) {
			t.Fatalf("the dump (%d bytes) does not even hold the case reference: the search is broken", len(dump))
		}
		for _, canary := range []string{canaryFamilyLat, canaryFamilyCyr, canaryPatronym, canaryBirth,
			canaryContact, "CANARYNOTE", "CANARYSPECIALTY", "CANARYREASON"} {
			if containsAnyForm(dump, canary) {
				t.Errorf("the database dump holds %q", canary)
			}
		}
		// The data is there all the same, for whoever holds the vault key.
		cf, err := a.LoadCase(actorCtx(), c.Reference, 0)
		if err != nil || cf.Case.Person.NameCyrillic.Family != canaryFamilyCyr || len(cf.Notes) != 1 || cf.Notes[0].Body != canaryNote {
			t.Errorf("the case does not read back: %+v, %v", cf.Case.Person, err)
		}
	})
}

// containsAnyForm looks for s as it is and as hex (how pg_dump writes
// bytea), in either case.
func containsAnyForm(dump []byte, s string) bool {
	h := hex.EncodeToString([]byte(s))
	return bytes.Contains(dump, []byte(s)) || bytes.Contains(bytes.ToLower(dump), []byte(h))
}

// TestIdentity_NameLookup finds cases by an exact name through the blind
// index: either script, with or without the patronymic, whatever the case,
// spacing or ё; never by a part of a name; following renames.
func TestIdentity_NameLookup(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		if refs := findByName(t, a, "Morozov Kirill"); len(refs) != 0 {
			t.Errorf("an empty database found %v", refs)
		}
		morozov := mustCreate(t, a)
		n := sampleCase()
		n.Person.NameLatin = casefile.Name{Family: "Korolyov", Given: "Pyotr"}
		n.Person.NameCyrillic = casefile.Name{Family: "Королёв", Given: "Пётр", Patronymic: "Ильич"}
		korolyov, err := a.CreateCase(actorCtx(), n)
		if err != nil {
			t.Fatal(err)
		}
		for name, want := range map[string]string{
			"Korolyov Pyotr":          korolyov.Reference,
			"  korolyov   PYOTR ":     korolyov.Reference,
			"Королев Петр Ильич":      korolyov.Reference,
			"КОРОЛЁВ ПЁТР":            korolyov.Reference,
			"Морозов Кирилл Олегович": morozov.Reference,
			"Morozov Kirill":          morozov.Reference,
			"Korolyov":                "",
			"Pyotr Korolyov":          "",
			"Королев Петр Ильи":       "",
			"Ivanov Ivan":             "",
		} {
			refs := findByName(t, a, name)
			if want == "" && len(refs) != 0 || want != "" && (len(refs) != 1 || refs[0] != want) {
				t.Errorf("name %q found %v, want %q", name, refs, want)
			}
		}
		page, err := a.ListCases(actorCtx(), app.CaseQuery{Name: "Korolyov Pyotr", Destination: "FR"})
		if err != nil || len(page.Cases) != 0 {
			t.Errorf("name and another destination: %v, %v", page.Cases, err)
		}
		_, err = a.ListCases(actorCtx(), app.CaseQuery{Name: "  \t "})
		if e := wantCode(t, err, sanctuary.EINVALID); e.Fields["name"] == "" {
			t.Errorf("a blank name: %+v", e)
		}

		p := korolyov.Person
		p.NameLatin = casefile.Name{Family: "Korolev", Given: "Pyotr"}
		if _, err := a.UpdateCase(actorCtx(), korolyov.Reference, app.CaseUpdate{Person: &p}); err != nil {
			t.Fatal(err)
		}
		if refs := findByName(t, a, "Korolyov Pyotr"); len(refs) != 0 {
			t.Errorf("the old name still finds %v", refs)
		}
		if refs := findByName(t, a, "Korolev Pyotr"); len(refs) != 1 || refs[0] != korolyov.Reference {
			t.Errorf("the new name finds %v", refs)
		}
	})
}

func findByName(t *testing.T, a *app.App, name string) []string {
	t.Helper()
	page, err := a.ListCases(actorCtx(), app.CaseQuery{Name: name})
	if err != nil {
		t.Fatalf("find %q: %v", name, err)
	}
	refs := []string{}
	for _, c := range page.Cases {
		refs = append(refs, c.Reference)
	}
	return refs
}

// TestShred_MakesClientDataUnreadable shreds a case and checks that its
// person, facts, notes, event details and assessments can no longer be
// read, that its name no longer finds it, that client data can no longer
// be written to it, and that it can still be closed.
func TestShred_MakesClientDataUnreadable(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEvidenceApp(t, db)
		a := e.app
		c, err := a.CreateCase(actorCtx(), canaryCase())
		if err != nil {
			t.Fatal(err)
		}
		fillCanary(t, a, c.Reference)
		kept, err := a.Assessments(actorCtx(), c.Reference)
		if err != nil || len(kept) != 1 {
			t.Fatalf("assessments %v, %v", kept, err)
		}
		if err := a.ShredCase(lawyerCtx(), c.Reference); err != nil {
			t.Fatal(err)
		}
		ctx := actorCtx()
		got, err := a.GetCase(ctx, c.Reference)
		if err != nil || !got.KeyDestroyed || !got.Person.NameLatin.IsZero() || !got.Person.NameCyrillic.IsZero() ||
			got.Person.BirthDate != nil || len(got.Person.Contacts) != 0 {
			t.Errorf("after the shred the case reads %+v, %v", got, err)
		}
		if refs := findByName(t, a, canaryFamilyLat+" Oksana"); len(refs) != 0 {
			t.Errorf("the name still finds %v", refs)
		}
		cf, err := a.LoadCase(ctx, c.Reference, 0)
		if err != nil || len(cf.Facts) != 0 || len(cf.Notes) != 0 || !cf.Case.KeyDestroyed {
			t.Fatalf("case file after the shred: %+v, %v", cf, err)
		}
		for _, ev := range cf.Timeline {
			if string(ev.Detail) != "{}" {
				t.Errorf("event %s still has details %s", ev.Kind, ev.Detail)
			}
		}
		if last := cf.Timeline[len(cf.Timeline)-1]; last.Kind != casefile.EventKeyShredded {
			t.Errorf("the last event is %s, want %s", last.Kind, casefile.EventKeyShredded)
		}
		_, err = a.Facts(ctx, c.Reference)
		wantCode(t, err, sanctuary.ECONFLICT)
		_, err = a.Notes(ctx, c.Reference)
		wantCode(t, err, sanctuary.ECONFLICT)
		_, err = a.Assessment(ctx, c.Reference, kept[0].ID)
		wantCode(t, err, sanctuary.ECONFLICT)

		before := timelineKinds(t, a, c.Reference)
		value, _ := json.Marshal("anything")
		_, err = a.SetFact(actorCtx(), c.Reference, casefile.FactInput{Name: "military_specialty", Value: value, Source: casefile.SourceStatement})
		wantCode(t, err, sanctuary.ECONFLICT)
		_, err = a.AddNote(actorCtx(), c.Reference, "a note after the shred")
		wantCode(t, err, sanctuary.ECONFLICT)
		p := canaryCase().Person
		_, err = a.UpdateCase(actorCtx(), c.Reference, app.CaseUpdate{Person: &p})
		wantCode(t, err, sanctuary.ECONFLICT)
		if after := timelineKinds(t, a, c.Reference); len(after) != len(before) {
			t.Errorf("refused writes changed the timeline: %v → %v", before, after)
		}
		if rep, err := a.Reassess(operatorCtx(), nil); err != nil || rep.Total != 0 {
			t.Errorf("reassess took up the shredded case: %+v, %v", rep, err)
		}

		closed, err := a.TransitionCase(actorCtx(), c.Reference, app.Transition{To: casefile.StatusWithdrawn, Reason: "shredded"})
		if err != nil || closed.Status != casefile.StatusWithdrawn {
			t.Errorf("closing the shredded case: %+v, %v", closed.Status, err)
		}
	})
}

// TestShred_EmptyCaseAnswersLikeAFullOne: a shredded case that never had
// facts or notes refuses to list them, as one that had does (409), so
// the answer does not tell whether it held any.
func TestShred_EmptyCaseAnswersLikeAFullOne(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEvidenceApp(t, db)
		c := mustCreate(t, e.app)
		if err := e.app.ShredCase(lawyerCtx(), c.Reference); err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Facts(actorCtx(), c.Reference); sanctuary.ErrorCode(err) != sanctuary.ECONFLICT {
			t.Errorf("facts: %v", err)
		}
		if _, err := e.app.FactHistory(actorCtx(), c.Reference, ""); sanctuary.ErrorCode(err) != sanctuary.ECONFLICT {
			t.Errorf("fact history: %v", err)
		}
		if _, err := e.app.Notes(actorCtx(), c.Reference); sanctuary.ErrorCode(err) != sanctuary.ECONFLICT {
			t.Errorf("notes: %v", err)
		}
	})
}
