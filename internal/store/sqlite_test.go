package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

// TestSQLite_Settings checks the settings the embedded database promises:
// WAL, foreign keys, a busy timeout, synchronous=NORMAL, one writer
// connection, read-only readers, and a file only its owner can read.
func TestSQLite_Settings(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	db, err := store.Open(ctx, filepath.Join(dir, "sanctuary.db"), store.Options{Keyring: storetest.Keyring(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	want := map[string]string{"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "10000", "synchronous": "1", "secure_delete": "1"}
	for name, v := range want {
		w, r, err := db.PragmaForTest(ctx, name)
		if err != nil || w != v || r != v {
			t.Errorf("PRAGMA %s: writer %q, reader %q (%v); want %q", name, w, r, err, v)
		}
	}
	if _, r, _ := db.PragmaForTest(ctx, "query_only"); r != "1" {
		t.Errorf("reader query_only = %q, want 1", r)
	}
	if n := db.MaxWriteConnsForTest(); n != 1 {
		t.Errorf("writer pool allows %d connections, want 1", n)
	}
	for path, mode := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, "sanctuary.db"): 0o600} {
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != mode {
			t.Errorf("%s: mode %v (%v), want %v", path, fi.Mode().Perm(), err, mode)
		}
	}
}

// TestStore_ConcurrentReferences opens cases from many goroutines at once
// and checks that no reference is handed out twice.
func TestStore_ConcurrentReferences(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const n = 20
		refs := make(chan string, n)
		errs := make(chan error, n)
		for range n {
			go func() {
				err := db.Update(ctx, func(tx *store.Tx) error {
					ref, err := tx.NextReference(ctx, 2026)
					refs <- ref
					return err
				})
				errs <- err
			}()
		}
		seen := map[string]bool{}
		for range n {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
			r := <-refs
			if seen[r] {
				t.Errorf("reference %s handed out twice", r)
			}
			seen[r] = true
		}
	})
}
