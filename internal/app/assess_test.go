package app_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/rules"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

func date(s string) casefile.Date {
	d, err := casefile.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func setFacts(t *testing.T, a *app.App, ref string, kv map[string]string) {
	t.Helper()
	var ins []casefile.FactInput
	for k, v := range kv {
		ins = append(ins, casefile.FactInput{Name: k, Value: json.RawMessage(v), Source: casefile.SourceStatement})
	}
	if _, err := a.SetFacts(actorCtx(), ref, ins); err != nil {
		t.Fatal(err)
	}
}

func finding(a *rules.Assessment, rule string) (rules.Finding, bool) {
	for _, f := range a.Findings {
		if f.Rule == rule {
			return f, true
		}
	}
	return rules.Finding{}, false
}

// variantPack is the default pack with one file changed.
func variantPack(t *testing.T, file, old, new string) *rules.Pack {
	t.Helper()
	files := map[string][]byte{}
	base, err := defaultPack()
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range base.Files() {
		files[k] = v
	}
	if !strings.Contains(string(files[file]), old) {
		t.Fatalf("%s has no %q", file, old)
	}
	files[file] = []byte(strings.Replace(string(files[file]), old, new, 1))
	p, err := rules.ParseFiles(files)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAssessCase_KeepsRecordsAndReproduces(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c := mustCreate(t, a)
		setFacts(t, a, c.Reference, map[string]string{"is_deserter": "true", "current_country": `"AM"`})
		st, err := a.AssessCase(actorCtx(), c.Reference, app.AssessRequest{AsOf: date("2024-06-01")})
		if err != nil {
			t.Fatal(err)
		}
		res := st.Assessment
		if st.ID == 0 || res.AsOf != date("2024-06-01") || res.Pack.Hash == "" || len(res.Findings) == 0 {
			t.Fatalf("stored assessment %+v", st)
		}
		if !strings.Contains(strings.Join(res.Jurisdictions, ","), "RU") || !strings.Contains(strings.Join(res.Jurisdictions, ","), "DE") ||
			!strings.Contains(strings.Join(res.Jurisdictions, ","), "AM") {
			t.Errorf("jurisdictions %v: want origin, the destination DE and the current country AM", res.Jurisdictions)
		}
		if f, ok := finding(res, "ru-mobilisation-legally-open"); !ok || f.Status != rules.StatusApplies || len(f.Sources) == 0 {
			t.Errorf("background mobilisation risk: %+v %v", f, ok)
		}
		for _, f := range res.Findings {
			if len(f.Sources) == 0 || f.Text["ru"] == "" || f.Text["de"] == "" {
				t.Errorf("finding %s lacks sources or a translation", f.Key())
			}
		}
		list, err := a.Assessments(actorCtx(), c.Reference)
		if err != nil || len(list) != 1 || list[0].ID != st.ID {
			t.Fatalf("history %+v, %v", list, err)
		}
		latest, err := a.Assessment(actorCtx(), c.Reference, 0)
		if err != nil || latest.ID != st.ID || len(latest.Assessment.Findings) != len(res.Findings) {
			t.Fatalf("latest %+v, %v", latest.ID, err)
		}
		rep, err := a.ReproduceAssessment(actorCtx(), c.Reference, st.ID)
		if err != nil || !rep.Identical {
			t.Fatalf("reproduction identical=%v, %v, %+v", rep.Identical, err, rep.Difference)
		}
		if k := timelineKinds(t, a, c.Reference); k[len(k)-1] != "case.assessed" {
			t.Errorf("timeline %v", k)
		}
	})
}

// TestReproduce_AfterThePackChanged assesses with one pack, switches to
// another, and reproduces the old assessment with the old pack kept in the
// database.
func TestReproduce_AfterThePackChanged(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c := mustCreate(t, a)
		setFacts(t, a, c.Reference, map[string]string{"is_deserter": "true"})
		st, err := a.AssessCase(actorCtx(), c.Reference, app.AssessRequest{AsOf: date("2024-06-01")})
		if err != nil {
			t.Fatal(err)
		}
		newer := variantPack(t, "pack.yaml", `version: "`, `version: "variant-`)
		b := app.New(db, newer, slog.New(slog.NewTextHandler(io.Discard, nil)))
		rep, err := b.ReproduceAssessment(actorCtx(), c.Reference, st.ID)
		if err != nil || !rep.Identical || rep.Again.Pack.Hash != st.Assessment.Pack.Hash {
			t.Fatalf("reproduction with the old pack: identical=%v hash %s, %v", rep.Identical, rep.Again.Pack.Hash, err)
		}
	})
}

func TestAssessCase_BirthDateFromPerson(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		n := sampleCase()
		born := date("2001-05-20")
		n.Person.BirthDate = &born
		c, err := a.CreateCase(actorCtx(), n)
		if err != nil {
			t.Fatal(err)
		}
		res, err := a.PreviewAssessment(actorCtx(), c.Reference, app.AssessRequest{AsOf: date("2024-06-01")})
		if err != nil {
			t.Fatal(err)
		}
		var got *casefile.Fact
		for i, f := range res.Facts {
			if f.Name == rules.BirthDateFact {
				got = &res.Facts[i]
			}
		}
		if got == nil || got.Value.Date != born || got.RecordedBy != "person record" {
			t.Fatalf("birth date fact %+v", got)
		}
		if list, _ := a.Assessments(actorCtx(), c.Reference); len(list) != 0 {
			t.Errorf("a preview was kept: %v", list)
		}
	})
}

func TestAssessCase_BadRequest(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c := mustCreate(t, a)
		_, err := a.AssessCase(actorCtx(), c.Reference, app.AssessRequest{AsOf: date("2024-01-01"), Jurisdictions: []string{"XX"}})
		wantCode(t, err, "invalid")
		_, err = a.AssessCase(actorCtx(), "SN-2026-9999", app.AssessRequest{})
		wantCode(t, err, "not_found")
		_, err = a.Assessment(actorCtx(), c.Reference, 0)
		wantCode(t, err, "not_found")
		if list, _ := a.Assessments(actorCtx(), c.Reference); len(list) != 0 {
			t.Errorf("a refused assessment was kept")
		}
	})
}

func TestReassess_IdempotentResumableAndRecorded(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		var refs []string
		for range 3 {
			c := mustCreate(t, a)
			setFacts(t, a, c.Reference, map[string]string{"is_deserter": "true"})
			refs = append(refs, c.Reference)
		}
		if _, err := a.TransitionCase(actorCtx(), refs[2], app.Transition{To: casefile.StatusWithdrawn}); err != nil {
			t.Fatal(err)
		}
		rep, err := a.Reassess(operatorCtx(), nil)
		if err != nil || rep.Total != 2 || rep.Reassessed != 2 {
			t.Fatalf("first run %+v, %v", rep, err)
		}
		rep, err = a.Reassess(operatorCtx(), nil)
		if err != nil || rep.Total != 0 {
			t.Fatalf("second run with the same pack %+v, %v: want nothing to do", rep, err)
		}

		// A new pack: one rule revised. Stop after the first case, then resume.
		newer := variantPack(t, "rules/ru.yaml", "- id: ru-mobilisation-legally-open\n  version: 1", "- id: ru-mobilisation-legally-open\n  version: 2")
		b := app.New(db, newer, slog.New(slog.NewTextHandler(io.Discard, nil)))
		ctx, cancel := context.WithCancel(operatorCtx())
		rep, err = b.Reassess(ctx, func(done, total int) {
			if done == 1 {
				cancel()
			}
		})
		if err == nil || rep.Reassessed != 1 {
			t.Fatalf("interrupted run %+v, %v", rep, err)
		}
		rep, err = b.Reassess(operatorCtx(), nil)
		if err != nil || rep.Total != 1 || rep.Reassessed != 1 || rep.Changed != 1 {
			t.Fatalf("resumed run %+v, %v", rep, err)
		}
		for _, ref := range refs[:2] {
			p, _ := b.Timeline(actorCtx(), ref, 0, 0)
			last := p.Events[len(p.Events)-1]
			d, _ := last.DecodeDetail()
			if last.Kind != casefile.EventReassessed || !strings.Contains(strings.Join(d.Changed, "\n"), "ru-mobilisation-legally-open version 1 → 2 (the rule was revised") {
				t.Errorf("%s: last event %s %v", ref, last.Kind, d.Changed)
			}
		}
		if list, _ := b.Assessments(actorCtx(), refs[2]); len(list) != 0 {
			t.Errorf("a withdrawn case was reassessed")
		}
	})
}
