package app_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/ledger"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

// custodyRows is everything the database records about custody logs.
type custodyRows struct {
	Events []store.CustodyEventRecord
	States []store.CustodyState
}

func readCustodyRows(t *testing.T, db *store.DB, origin string) custodyRows {
	t.Helper()
	var r custodyRows
	err := db.View(context.Background(), func(tx *store.Tx) (err error) {
		if r.Events, err = tx.AllCustodyEvents(context.Background(), origin); err != nil {
			return err
		}
		r.States, err = tx.CustodyStates(context.Background())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func originOf(e evidenceEnv) string { return e.ev.Custody.Key().Origin() }

// TestCustody_RefusesAnotherLog starts a second instance, with a data
// directory (and so a custody log) of its own, against the database of a
// first one, as two machines given one PostgreSQL would: the second is
// refused, saying why and what to do, and writes nothing; the first
// keeps working.
func TestCustody_RefusesAnotherLog(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		first := newEvidenceApp(t, db)
		c := mustCreate(t, first.app)
		if _, err := first.app.AddEvidence(actorCtx(), c.Reference, summonsMeta(), strings.NewReader("fictional summons")); err != nil {
			t.Fatal(err)
		}
		before := readCustodyRows(t, db, originOf(first))

		second := unstartedEvidenceApp(t, storetest.Reopen(t, db))
		err := second.app.CheckCustody(context.Background())
		se := sanctuary.AsError(err)
		for _, want := range []string{originOf(first), originOf(second), filepath.Join(second.dir, "custody"), "SANCTUARY_LOG_KEY_FILE", "another database"} {
			if err == nil || !strings.Contains(se.Message, want) {
				t.Fatalf("the second instance's start: %v; want a refusal that names %q", err, want)
			}
		}
		if after := readCustodyRows(t, db, originOf(first)); !reflect.DeepEqual(before, after) {
			t.Errorf("the refused instance changed the custody records:\nbefore %+v\nafter  %+v", before, after)
		}
		if err := first.app.CheckCustody(context.Background()); err != nil {
			t.Fatalf("the first instance no longer starts: %v", err)
		}
		if _, err := first.app.AddEvidence(actorCtx(), c.Reference, summonsMeta(), strings.NewReader("fictional, later")); err != nil {
			t.Fatal(err)
		}
		rep, err := first.app.Fsck(operatorCtx(), 0, true)
		if err != nil || len(rep.Problems) != 0 || rep.EventsChecked != 2 {
			t.Errorf("fsck of the first instance: %+v, %v", rep, err)
		}
	})
}

// TestCustody_RefusesALogTheDatabaseNeverMet starts an instance whose
// custody log already holds entries against a database that has never
// recorded a custody log (the wrong SANCTUARY_DATABASE_URL): refused.
// A log with no entries yet is simply adopted.
func TestCustody_RefusesALogTheDatabaseNeverMet(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEvidenceApp(t, db)
		c := mustCreate(t, e.app)
		if _, err := e.app.AddEvidence(actorCtx(), c.Reference, summonsMeta(), strings.NewReader("fictional summons")); err != nil {
			t.Fatal(err)
		}
		if _, err := e.ev.Custody.WaitCheckpoint(context.Background(), 1); err != nil {
			t.Fatal(err)
		}
		fresh := storetest.OpenSQLite(t)
		if db.Dialect() == "postgres" {
			fresh = storetest.OpenPostgres(t)
		}
		other := twin(t, e, fresh)
		err := other.app.CheckCustody(context.Background())
		if err == nil || !strings.Contains(err.Error(), originOf(e)) || !strings.Contains(err.Error(), "SANCTUARY_DATABASE_URL") {
			t.Fatalf("a log with entries was adopted by a database that never met it: %v", err)
		}
		if rows := readCustodyRows(t, fresh, originOf(e)); len(rows.States) != 0 {
			t.Errorf("the refusal recorded %+v", rows.States)
		}
		empty := unstartedEvidenceApp(t, storetest.Reopen(t, fresh))
		if err := empty.app.CheckCustody(context.Background()); err != nil {
			t.Fatalf("a new log is refused by a new database: %v", err)
		}
	})
}

// TestCustody_RefusesALogKeyOfTheSameName replaces the log with one
// signed by another key of the same name (origin), grown past the
// recorded checkpoint: refused.
func TestCustody_RefusesALogKeyOfTheSameName(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEvidenceApp(t, db)
		skey, vkey, err := note.GenerateKey(rand.Reader, originOf(e))
		if err != nil {
			t.Fatal(err)
		}
		keyFile := filepath.Join(t.TempDir(), "custody.key")
		os.WriteFile(keyFile, []byte(fmt.Sprintf("# a look-alike\n%s\n%s\n", skey, vkey)), 0o600)
		lk, err := custody.LoadKeyFile(keyFile)
		if err != nil {
			t.Fatal(err)
		}
		lg, err := ledger.Open(filepath.Join(t.TempDir(), "custody"), lk)
		if err != nil {
			t.Fatal(err)
		}
		defer lg.Close()
		e.ev.Custody = lg
		c := mustCreate(t, e.app)
		for i := range 2 {
			if _, err := e.app.AddEvidence(actorCtx(), c.Reference, summonsMeta(), strings.NewReader(fmt.Sprint("fictional ", i))); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := lg.WaitCheckpoint(context.Background(), 2); err != nil {
			t.Fatal(err)
		}
		if err := e.app.CheckCustody(context.Background()); err == nil || !strings.Contains(err.Error(), "key") {
			t.Fatalf("a log under another key of the same name was accepted: %v", err)
		}
	})
}
