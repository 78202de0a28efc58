package store_test

import (
	"context"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

func TestMigrations_SameNamesInBothDialects(t *testing.T) {
	names := func(d string) []string {
		entries, err := fs.ReadDir(store.MigrationFS(), "migrations/"+d)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			out = append(out, e.Name())
		}
		return out
	}
	sq, pg := names("sqlite"), names("postgres")
	if len(sq) == 0 {
		t.Fatal("no migrations found")
	}
	if diff := cmp.Diff(sq, pg); diff != "" {
		t.Errorf("migration folders differ (-sqlite +postgres):\n%s", diff)
	}
}

func TestMigrate_Idempotent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		applied, err := db.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Errorf("second Migrate applied %v, want nothing", applied)
		}
		pending, err := db.PendingMigrations(ctx)
		if err != nil || len(pending) != 0 {
			t.Errorf("PendingMigrations = %v, %v; want none", pending, err)
		}
	})
}

func newCase(t *testing.T, ctx context.Context, db *store.DB, dest ...string) casefile.Case {
	t.Helper()
	birth := casefile.Date{Year: 1996, Month: 3, Day: 14}
	c := casefile.Case{
		Status: casefile.StatusIntake,
		Person: casefile.Person{
			Identity: casefile.Identity{
				NameLatin:    casefile.Name{Family: "Testov", Given: "Pavel"},
				NameCyrillic: casefile.Name{Family: "Тестов", Given: "Павел", Patronymic: "Ильич"},
				BirthDate:    &birth,
				Contacts:     []casefile.Contact{{Channel: "signal", Value: "+49 000 0000"}},
			},
			Citizenships: []string{"RU"},
			Languages:    []string{"ru", "en"},
		},
		Destinations: dest,
		Assignees:    []string{"Anna K."},
		CreatedBy:    "test",
	}
	err := db.Update(ctx, func(tx *store.Tx) error {
		ref, err := tx.NextReference(ctx, 2026)
		if err != nil {
			return err
		}
		c.Reference = ref
		return tx.InsertCase(ctx, &c)
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCase_RoundTrip(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fixed := time.Date(2026, 11, 26, 10, 30, 15, 123456789, time.UTC)
		db.Now = func() time.Time { return fixed }
		want := newCase(t, ctx, db, "DE", "FR")
		if want.Reference != "SN-2026-0001" {
			t.Errorf("first reference = %s, want SN-2026-0001", want.Reference)
		}
		var got casefile.Case
		err := db.View(ctx, func(tx *store.Tx) (err error) {
			got, err = tx.CaseByReference(ctx, want.Reference)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if !got.CreatedAt.Equal(fixed.Truncate(time.Microsecond)) {
			t.Errorf("created_at = %v, want %v", got.CreatedAt, fixed)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("case differs after reading back (-want +got):\n%s", diff)
		}
		if next := newCase(t, ctx, db); next.Reference != "SN-2026-0002" {
			t.Errorf("second reference = %s", next.Reference)
		}
	})
}

func TestCaseByReference_NotFound(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		err := db.View(ctx, func(tx *store.Tx) error {
			_, err := tx.CaseByReference(ctx, "SN-2026-9999")
			return err
		})
		if code := sanctuary.ErrorCode(err); code != sanctuary.ENOTFOUND {
			t.Errorf("code = %q (%v), want not_found", code, err)
		}
	})
}

func TestUpdateCase_StaleVersionConflicts(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newCase(t, ctx, db)
		stale := c
		err := db.Update(ctx, func(tx *store.Tx) error { return tx.UpdateCase(ctx, &c) })
		if err != nil {
			t.Fatal(err)
		}
		if c.Version != 2 {
			t.Errorf("version after update = %d, want 2", c.Version)
		}
		err = db.Update(ctx, func(tx *store.Tx) error { return tx.UpdateCase(ctx, &stale) })
		if code := sanctuary.ErrorCode(err); code != sanctuary.ECONFLICT {
			t.Errorf("stale update: code = %q (%v), want conflict", code, err)
		}
	})
}

func TestListCases_FiltersAndPages(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var refs []string
		for i := range 7 {
			dest := "DE"
			if i%2 == 1 {
				dest = "FR"
			}
			refs = append(refs, newCase(t, ctx, db, dest).Reference)
		}
		list := func(f store.CaseFilter) []casefile.Case {
			var cs []casefile.Case
			err := db.View(ctx, func(tx *store.Tx) (err error) { cs, err = tx.ListCases(ctx, f); return err })
			if err != nil {
				t.Fatal(err)
			}
			return cs
		}
		var seen []string
		f := store.CaseFilter{Limit: 3}
		for {
			page := list(f)
			for _, c := range page {
				seen = append(seen, c.Reference)
			}
			if len(page) < f.Limit {
				break
			}
			f.BeforeID = page[len(page)-1].ID
		}
		slices.Reverse(seen)
		if diff := cmp.Diff(refs, seen); diff != "" {
			t.Errorf("paging did not return every case once (-want +got):\n%s", diff)
		}
		fr := list(store.CaseFilter{Destination: "FR", Limit: 100})
		if len(fr) != 3 {
			t.Errorf("destination FR: %d cases, want 3", len(fr))
		}
		for _, c := range fr {
			if !slices.Contains(c.Destinations, "FR") {
				t.Errorf("%s has destinations %v", c.Reference, c.Destinations)
			}
		}
		if n := len(list(store.CaseFilter{Assignee: "Anna K.", Statuses: []casefile.Status{casefile.StatusIntake}, Limit: 100})); n != 7 {
			t.Errorf("assignee+status filter: %d cases, want 7", n)
		}
		if n := len(list(store.CaseFilter{Assignee: "Nobody", Limit: 100})); n != 0 {
			t.Errorf("unknown assignee: %d cases, want 0", n)
		}
	})
}

func TestFacts_CurrentAndHistory(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newCase(t, ctx, db)
		d := casefile.DateValue(casefile.Date{Year: 2022, Month: 9, Day: 21})
		put := func(f casefile.Fact) {
			t.Helper()
			err := db.Update(ctx, func(tx *store.Tx) error { return tx.PutFact(ctx, c.ID, &f) })
			if err != nil {
				t.Fatal(err)
			}
		}
		put(casefile.Fact{Name: "departure_date", State: casefile.StateUnknown, Source: casefile.SourceStatement, RecordedBy: "a"})
		put(casefile.Fact{Name: "departure_date", State: casefile.StateKnown, Value: &d, Source: casefile.SourceDocument, RecordedBy: "b"})
		list := casefile.EnumList("art_328", "art_337")
		put(casefile.Fact{Name: "criminal_articles", State: casefile.StateKnown, Value: &list, Source: casefile.SourceStatement, RecordedBy: "a"})
		err := db.Update(ctx, func(tx *store.Tx) error { return tx.ClearFact(ctx, c.ID, "criminal_articles", "c") })
		if err != nil {
			t.Fatal(err)
		}
		var facts, hist []casefile.Fact
		err = db.View(ctx, func(tx *store.Tx) (err error) {
			if facts, err = tx.Facts(ctx, c.ID); err != nil {
				return err
			}
			hist, err = tx.FactHistory(ctx, c.ID, "")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(facts) != 1 || facts[0].Name != "departure_date" || !facts[0].Value.Equal(d) {
			t.Fatalf("current facts = %+v", facts)
		}
		var states []string
		for _, h := range hist {
			states = append(states, h.Name+":"+string(h.State))
		}
		want := []string{"departure_date:unknown", "departure_date:known", "criminal_articles:known", "criminal_articles:not_asked"}
		if diff := cmp.Diff(want, states); diff != "" {
			t.Errorf("history (-want +got):\n%s", diff)
		}
		if !hist[2].Value.Equal(list) {
			t.Errorf("list value read back as %v", hist[2].Value)
		}
		err = db.Update(ctx, func(tx *store.Tx) error { return tx.ClearFact(ctx, c.ID, "criminal_articles", "c") })
		if code := sanctuary.ErrorCode(err); code != sanctuary.ENOTFOUND {
			t.Errorf("clearing a fact not asked: code %q, want not_found", code)
		}
	})
}

func TestTimeline_AppendOnly(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newCase(t, ctx, db)
		err := db.Update(ctx, func(tx *store.Tx) error {
			e := casefile.Event{Actor: "test", Kind: casefile.EventCaseCreated}
			if err := tx.AppendEvent(ctx, c.ID, &e); err != nil {
				return err
			}
			n := casefile.Note{Body: "Called back, no answer.", CreatedBy: "test"}
			if err := tx.InsertNote(ctx, c.ID, &n); err != nil {
				return err
			}
			f := casefile.Fact{Name: "in_russia", State: casefile.StateUnknown, Source: casefile.SourceStatement, RecordedBy: "test"}
			return tx.PutFact(ctx, c.ID, &f)
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			`UPDATE timeline SET actor = 'mallory'`, `DELETE FROM timeline`,
			`UPDATE notes SET created_by = 'mallory'`, `DELETE FROM notes`,
			`UPDATE fact_history SET state = 'known'`, `DELETE FROM fact_history`,
		} {
			err := db.Update(ctx, func(tx *store.Tx) error { return tx.ExecForTest(ctx, q) })
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: err = %v, want an append-only refusal", q, err)
			}
		}
		var events []casefile.Event
		err = db.View(ctx, func(tx *store.Tx) (err error) { events, err = tx.Timeline(ctx, c.ID, 0, 0); return err })
		if err != nil || len(events) != 1 || events[0].Actor != "test" {
			t.Errorf("timeline after refused changes = %+v, %v", events, err)
		}
	})
}
