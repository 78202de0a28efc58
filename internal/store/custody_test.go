package store_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

// TestMigrate_CustodyRecordsGetTheirLogsOrigin upgrades a database (its
// schema as of 0007; the case is made through today's store) that
// recorded custody events and a checkpoint before records were keyed by
// the log's origin: they all belong to its one log, named in the
// checkpoint's first line, and nothing is lost.
func TestMigrate_CustodyRecordsGetTheirLogsOrigin(t *testing.T) {
	ctx := context.Background()
	const origin = "sanctuary.custody/0123456789abcdef"
	checkpoint := origin + "\n2\nq6Ppj1yMzXzMUfxTrpLYXXPVy3uHqJbxbvr0MLG3mRs=\n\n— " + origin + " AAAA\n"
	dsns := map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "old.db") },
		"postgres": func(t *testing.T) string { return storetest.PostgresSchemaURL(t) },
	}
	for name, dsn := range dsns {
		t.Run(name, func(t *testing.T) {
			db, err := store.Open(ctx, dsn(t), store.Options{Keyring: storetest.Keyring(t)})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.MigrateThroughForTest(ctx, "0007_deadlines.sql"); err != nil {
				t.Fatal(err)
			}
			c := newCase(t, ctx, db)
			// As the store writes it: bytes, not text.
			now, blob := "0", "X'"+hex.EncodeToString([]byte(checkpoint))+"'"
			if name == "postgres" {
				now, blob = "now()", "decode('"+hex.EncodeToString([]byte(checkpoint))+"', 'hex')"
			}
			err = db.Update(ctx, func(tx *store.Tx) error {
				for _, q := range []string{
					`INSERT INTO custody_events (log_index, case_id, type, hash, at) VALUES (0, ` + fmt.Sprint(c.ID) + `, 'shred', 'aa', ` + now + `)`,
					`INSERT INTO custody_events (log_index, case_id, type, hash, at) VALUES (1, ` + fmt.Sprint(c.ID) + `, 'export', 'bb', ` + now + `)`,
					`INSERT INTO custody_state (id, size, root, checkpoint, updated_at) VALUES (1, 2, 'q6Pp', ` + blob + `, ` + now + `)`,
				} {
					if err := tx.ExecForTest(ctx, q); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			var events []store.CustodyEventRecord
			var states []store.CustodyState
			err = db.View(ctx, func(tx *store.Tx) (err error) {
				if events, err = tx.AllCustodyEvents(ctx, origin); err != nil {
					return err
				}
				states, err = tx.CustodyStates(ctx)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(events) != 2 || events[0].Origin != origin || events[1].LogIndex != 1 || events[1].Type != "export" {
				t.Errorf("events after the upgrade: %+v", events)
			}
			want := []store.CustodyState{{Origin: origin, Size: 2, Root: "q6Pp", Checkpoint: []byte(checkpoint)}}
			if diff := cmp.Diff(want, states); diff != "" {
				t.Errorf("custody state after the upgrade (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCustody_TwoLogsNeverCollide records events at the same indexes of
// two logs: each log keeps its own, and each log's state is its own.
func TestCustody_TwoLogsNeverCollide(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newCase(t, ctx, db)
		err := db.Update(ctx, func(tx *store.Tx) error {
			for _, origin := range []string{"log-a", "log-b"} {
				r := store.CustodyEventRecord{Origin: origin, LogIndex: 0, CaseID: c.ID, Type: "shred", Hash: origin, At: tx.Now()}
				if err := tx.InsertCustodyEvent(ctx, r); err != nil {
					return err
				}
				if err := tx.SaveCustodyState(ctx, store.CustodyState{Origin: origin, Size: 1, Root: origin, Checkpoint: []byte(origin)}); err != nil {
					return err
				}
			}
			// A smaller checkpoint of one log changes nothing.
			return tx.SaveCustodyState(ctx, store.CustodyState{Origin: "log-a", Size: 0, Root: "old", Checkpoint: []byte("old")})
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.View(ctx, func(tx *store.Tx) error {
			a, err := tx.AllCustodyEvents(ctx, "log-a")
			if err != nil || len(a) != 1 || a[0].Hash != "log-a" {
				t.Errorf("log-a's events: %+v, %v", a, err)
			}
			states, err := tx.CustodyStates(ctx)
			if err != nil || len(states) != 2 || states[0].Root != "log-a" || states[1].Root != "log-b" {
				t.Errorf("states: %+v, %v", states, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestCaseKey_SecondInsertGetsTheFirst: two first uploads to a case at
// once may both find no key (PostgreSQL reads committed rows only); the
// second insert must leave the first key and hand it back, not fail on
// the primary key (the crash campaign on PostgreSQL met that as a 500).
func TestCaseKey_SecondInsertGetsTheFirst(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newCase(t, ctx, db)
		insert := func(recipient string) store.CaseKeyRecord {
			r := store.CaseKeyRecord{CaseID: c.ID, Recipient: recipient, Wrapped: []byte("wrapped " + recipient), Tag: recipient + "-tag"}
			if err := db.Update(ctx, func(tx *store.Tx) error { return tx.InsertCaseKey(ctx, &r) }); err != nil {
				t.Fatalf("insert the key %s: %v", recipient, err)
			}
			return r
		}
		first := insert("age1first")
		second := insert("age1second")
		if second.Recipient != "age1first" || string(second.Wrapped) != "wrapped age1first" || second.Tag != "age1first-tag" {
			t.Errorf("the second insert gave %+v, want the first key %+v", second, first)
		}
		var stored store.CaseKeyRecord
		err := db.View(ctx, func(tx *store.Tx) (err error) { stored, err = tx.CaseKey(ctx, c.ID); return err })
		if err != nil || stored.Recipient != "age1first" {
			t.Errorf("the case's key is %q (%v), want the first", stored.Recipient, err)
		}
	})
}
