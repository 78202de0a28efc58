package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/rules"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

// benchPack is a pack with 200 facts of every type, more than the default
// pack has, the size a grown knowledge pack reaches.
func benchPack(tb testing.TB) *rules.Pack {
	var facts strings.Builder
	types := casefile.Types()
	for i := range 200 {
		t := types[i%len(types)]
		fmt.Fprintf(&facts, "- name: fact_%03d\n  type: %s\n  question: {ru: \"Вопрос %d?\", en: \"Question %d?\", de: \"Frage %d?\"}\n", i, t, i, i, i)
		if t == casefile.TypeEnum || t == casefile.TypeEnumList {
			facts.WriteString("  values:\n")
			for _, v := range []string{"alpha", "beta", "gamma", "delta"} {
				fmt.Fprintf(&facts, "    - {value: %s, label: {ru: %s, en: %s, de: %s}}\n", v, v, v, v)
			}
		}
	}
	files := map[string][]byte{
		"pack.yaml":          []byte("name: bench\nversion: \"1\"\ncovers_until: 2026-01-31\ntitle: {ru: т, en: t, de: t}\n"),
		"sources.yaml":       []byte("- {id: src, title: Source, publisher: P, published: 2024, confidence: high}\n"),
		"jurisdictions.yaml": []byte("- {code: RU, kind: origin, name: {ru: Россия, en: Russia, de: Russland}}\n"),
		"facts.yaml":         []byte(facts.String()),
		"rules/ru.yaml": []byte("- {id: ru-info, version: 1, jurisdiction: RU, kind: info, subject: ru-info, valid_from: 2022-01-01, " +
			"known_from: 2022-01-01, condition: fact_000, finding: {ru: т, en: t, de: t}, sources: [{id: src, pinpoint: p}], confidence: high}\n"),
	}
	p, err := rules.ParseFiles(files)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// benchValue returns a JSON value for the def that differs with n.
func benchValue(d casefile.FactDef, n int) json.RawMessage {
	var v any
	switch d.Type {
	case casefile.TypeBool:
		v = n%2 == 0
	case casefile.TypeInteger:
		v = n
	case casefile.TypeDate:
		v = fmt.Sprintf("2022-%02d-%02d", 1+n%12, 1+n%28)
	case casefile.TypeEnum:
		v = d.Values[n%len(d.Values)]
	case casefile.TypeText:
		v = fmt.Sprintf("Statement number %d, given in the first interview.", n)
	case casefile.TypeEnumList:
		v = d.Values[:1+n%len(d.Values)]
	}
	b, _ := json.Marshal(v)
	return b
}

func benchFacts(voc *casefile.Vocabulary, count, n int) []casefile.FactInput {
	var ins []casefile.FactInput
	for _, d := range voc.Defs()[:count] {
		ins = append(ins, casefile.FactInput{Name: d.Name, Value: benchValue(d, n), Source: casefile.SourceStatement})
	}
	return ins
}

func benchApp(b *testing.B, db *store.DB) *app.App {
	seedStaff(b, db)
	return app.New(db, benchPack(b), slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// BenchmarkLogin signs in with email and password: the account read, the
// Argon2id check (m=19 MiB, t=2, p=1) and the pending session written.
func BenchmarkLogin(b *testing.B) {
	storetest.Bench(b, func(b *testing.B, db *store.DB) {
		a := benchApp(b, db)
		ctx := context.Background()
		_, link, err := a.AddUser(operatorCtx(), app.NewUser{Email: "vera@ngo.example", Role: sanctuary.RoleLawyer})
		if err != nil {
			b.Fatal(err)
		}
		s, _ := a.BeginSetup(ctx, link)
		code, _ := account.TOTPCode(s.TOTP.Secret, time.Now())
		if _, err := a.CompleteSetup(ctx, link, testPassword, s.TOTP.Secret, code); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := a.Login(ctx, "vera@ngo.example", testPassword, "192.0.2.1"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkCreateCase(b *testing.B) {
	storetest.Bench(b, func(b *testing.B, db *store.DB) {
		a, ctx := benchApp(b, db), actorCtx()
		for b.Loop() {
			if _, err := a.CreateCase(ctx, sampleCase()); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSetFacts50 records 50 changed facts on a case in one call.
func BenchmarkSetFacts50(b *testing.B) {
	storetest.Bench(b, func(b *testing.B, db *store.DB) {
		a, ctx := benchApp(b, db), actorCtx()
		c, err := a.CreateCase(ctx, sampleCase())
		if err != nil {
			b.Fatal(err)
		}
		batches := [2][]casefile.FactInput{benchFacts(a.Vocabulary(), 50, 1), benchFacts(a.Vocabulary(), 50, 2)}
		n := 0
		for b.Loop() {
			n++
			if _, err := a.SetFacts(ctx, c.Reference, batches[n%2]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkLoadCase reads a case with 200 facts and 500 timeline events as
// a case page does: record, facts, notes and the latest 100 events.
func BenchmarkLoadCase(b *testing.B) { benchLoadCase(b, 100) }

// BenchmarkLoadCaseFullTimeline reads the same case with all 500 events.
func BenchmarkLoadCaseFullTimeline(b *testing.B) { benchLoadCase(b, 0) }

func benchLoadCase(b *testing.B, events int) {
	storetest.Bench(b, func(b *testing.B, db *store.DB) {
		a, ctx := benchApp(b, db), actorCtx()
		c, err := a.CreateCase(ctx, sampleCase()) // 1 event
		if err != nil {
			b.Fatal(err)
		}
		for _, ins := range [][]casefile.FactInput{benchFacts(a.Vocabulary(), 200, 1), benchFacts(a.Vocabulary(), 200, 2)} {
			if _, err := a.SetFacts(ctx, c.Reference, ins); err != nil { // 2 × 200 events
				b.Fatal(err)
			}
		}
		for i := range 99 { // 99 events
			if _, err := a.AddNote(ctx, c.Reference, fmt.Sprintf("Call %d: no news.", i)); err != nil {
				b.Fatal(err)
			}
		}
		cf, err := a.LoadCase(actorCtx(), c.Reference, 0)
		if err != nil || len(cf.Facts) != 200 || len(cf.Timeline) != 500 {
			b.Fatalf("case has %d facts, %d events (%v)", len(cf.Facts), len(cf.Timeline), err)
		}
		for b.Loop() {
			if _, err := a.LoadCase(actorCtx(), c.Reference, events); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkListCases10k pages through 10,000 cases, 50 a page; one op is
// the whole walk of 200 pages.
func BenchmarkListCases10k(b *testing.B) {
	storetest.Bench(b, func(b *testing.B, db *store.DB) {
		a := benchApp(b, db)
		seedCases(b, db, 10_000)
		for b.Loop() {
			q, pages, seen := app.CaseQuery{Limit: 50}, 0, 0
			for {
				p, err := a.ListCases(actorCtx(), q)
				if err != nil {
					b.Fatal(err)
				}
				pages, seen = pages+1, seen+len(p.Cases)
				if p.NextCursor == "" {
					break
				}
				q.Cursor = p.NextCursor
			}
			if seen != 10_000 {
				b.Fatalf("walked %d cases in %d pages", seen, pages)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/200/1e3, "µs/page")
	})
}

// seedCases inserts n cases in one transaction, bypassing the use case for
// speed (the rows are the same), and refreshes the planner's statistics.
func seedCases(b *testing.B, db *store.DB, n int) {
	ctx := actorCtx()
	err := db.Update(ctx, func(tx *store.Tx) error {
		for i := range n {
			nc := sampleCase()
			c := casefile.Case{Status: casefile.StatusIntake, Person: nc.Person, Destinations: nc.Destinations,
				Assignees: nc.Assignees, CreatedBy: "bench", Reference: casefile.FormatReference(2026, int64(i+1))}
			if err := tx.InsertCase(ctx, &c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	// As autovacuum would after such an import, before the first reader.
	if err := db.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkAssessCase assesses a case against the default pack and keeps
// the assessment: facts read, rules run, result sealed and stored, timeline
// entry written, in one transaction.
func BenchmarkAssessCase(b *testing.B) {
	storetest.Bench(b, func(b *testing.B, db *store.DB) {
		p, err := defaultPack()
		if err != nil {
			b.Fatal(err)
		}
		a, ctx := app.New(db, p, slog.New(slog.NewTextHandler(io.Discard, nil))), actorCtx()
		c, err := a.CreateCase(ctx, sampleCase())
		if err != nil {
			b.Fatal(err)
		}
		ins := []casefile.FactInput{
			{Name: "is_deserter", Value: json.RawMessage(`true`), Source: casefile.SourceStatement},
			{Name: "is_mobilized", Value: json.RawMessage(`true`), Source: casefile.SourceStatement},
			{Name: "current_country", Value: json.RawMessage(`"AM"`), Source: casefile.SourceStatement},
			{Name: "birth_date", Value: json.RawMessage(`"1994-03-02"`), Source: casefile.SourceDocument},
		}
		if _, err := a.SetFacts(ctx, c.Reference, ins); err != nil {
			b.Fatal(err)
		}
		req := app.AssessRequest{AsOf: casefile.Date{Year: 2024, Month: 6, Day: 1}}
		for b.Loop() {
			if _, err := a.AssessCase(ctx, c.Reference, req); err != nil {
				b.Fatal(err)
			}
		}
	})
}
