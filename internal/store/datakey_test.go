package store_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

// TestSealed_MovedToAnotherCaseDoesNotOpen copies one case's sealed
// identity onto another's row, as someone with write access to the
// database might: reading it fails with a clear error instead of showing
// the wrong person.
func TestSealed_MovedToAnotherCaseDoesNotOpen(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, b := newCase(t, ctx, db), newCase(t, ctx, db)
		err := db.Update(ctx, func(tx *store.Tx) error {
			return tx.ExecForTest(ctx, `UPDATE cases SET identity = (SELECT identity FROM cases WHERE reference = '`+
				a.Reference+`') WHERE reference = '`+b.Reference+`'`)
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.View(ctx, func(tx *store.Tx) error {
			_, err := tx.CaseByReference(ctx, b.Reference)
			return err
		})
		if err == nil || !strings.Contains(err.Error(), "does not open") {
			t.Errorf("reading the moved identity: %v", err)
		}
	})
}

// TestDestroyDataKey checks that once a case's data key is destroyed its
// identity, facts and notes no longer read, its name index is gone, other
// cases are untouched, and the events of its timeline remain.
func TestDestroyDataKey(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		gone, kept := newCase(t, ctx, db), newCase(t, ctx, db)
		wrapped, err := db.WrappedKeyForTest(ctx, gone.ID)
		if err != nil || len(wrapped) < 32 {
			t.Fatalf("wrapped key %x, %v", wrapped, err)
		}
		err = db.Update(ctx, func(tx *store.Tx) error {
			for _, c := range []casefile.Case{gone, kept} {
				e := casefile.Event{Actor: "test", Kind: casefile.EventNoteAdded, Detail: []byte(`{"n":1}`)}
				if err := tx.AppendEvent(ctx, c.ID, &e); err != nil {
					return err
				}
				n := casefile.Note{Body: "Called back.", CreatedBy: "test"}
				if err := tx.InsertNote(ctx, c.ID, &n); err != nil {
					return err
				}
			}
			return tx.DestroyDataKey(ctx, gone.ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		// The key is gone from the row and, after a checkpoint, from the
		// SQLite file and its log too (secure_delete zeroes the old bytes).
		if w, err := db.WrappedKeyForTest(ctx, gone.ID); err != nil || w != nil {
			t.Errorf("after destruction the row holds %x, %v", w, err)
		}
		if err := db.Checkpoint(ctx); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(storetest.Dump(t, db), wrapped) {
			t.Error("the database dump still holds the destroyed wrapped key")
		}
		err = db.View(ctx, func(tx *store.Tx) error {
			c, err := tx.CaseByReference(ctx, gone.Reference)
			if err != nil || !c.KeyDestroyed || c.Person.NameLatin.Family != "" {
				t.Errorf("destroyed case reads %+v, %v", c.Person, err)
			}
			if _, err := tx.Notes(ctx, gone.ID); !errors.Is(err, store.ErrKeyDestroyed) {
				t.Errorf("notes of the destroyed case: %v", err)
			}
			events, err := tx.Timeline(ctx, gone.ID, 0, 0)
			if err != nil || len(events) != 1 || string(events[0].Detail) != "{}" || events[0].Actor != "test" {
				t.Errorf("timeline of the destroyed case: %+v, %v", events, err)
			}
			tok, err := tx.NameToken(ctx, "Testov Pavel")
			if err != nil {
				return err
			}
			list, err := tx.ListCases(ctx, store.CaseFilter{NameToken: tok, Limit: 10})
			if err != nil || len(list) != 1 || list[0].Reference != kept.Reference {
				t.Errorf("the name finds %v, %v; want only %s", list, err, kept.Reference)
			}
			c, err = tx.CaseByReference(ctx, kept.Reference)
			if err != nil || c.KeyDestroyed || c.Person.NameLatin.Family != "Testov" {
				t.Errorf("the other case reads %+v, %v", c.Person, err)
			}
			notes, err := tx.Notes(ctx, kept.ID)
			if err != nil || len(notes) != 1 {
				t.Errorf("the other case's notes: %v, %v", notes, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestMigrate_RefusesUnencryptedCases: a case without a data key can only
// come from a development version that stored client data in the clear;
// start-up says so instead of failing on every read.
func TestMigrate_RefusesUnencryptedCases(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newCase(t, ctx, db)
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatalf("a sound database: %v", err)
		}
		err := db.Update(ctx, func(tx *store.Tx) error { return tx.ExecForTest(ctx, `DELETE FROM case_data_keys`) })
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err == nil || !strings.Contains(err.Error(), "unencrypted by a development version") {
			t.Errorf("Migrate = %v", err)
		}
	})
}
