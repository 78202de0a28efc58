// Package storetest runs one test body against every database Sanctuary
// supports: an SQLite file in a temporary directory, and PostgreSQL in a
// fresh schema that is dropped afterwards.
//
// PostgreSQL is found through SANCTUARY_TEST_DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/test). When it does not answer, the
// PostgreSQL half of every test is skipped with one line of explanation,
// unless CI is set: then it fails, because CI must never pass by skipping.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/vault"
)

// DefaultPostgresURL is used when SANCTUARY_TEST_DATABASE_URL is not set.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Run runs f as two parallel subtests, "sqlite" and "postgres", each on a
// freshly migrated database of its own.
func Run(t *testing.T, f func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		f(t, OpenSQLite(t))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		f(t, OpenPostgres(t))
	})
}

// Bench runs f as two sub-benchmarks, "sqlite" and "postgres".
func Bench(b *testing.B, f func(b *testing.B, db *store.DB)) {
	b.Helper()
	b.Run("sqlite", func(b *testing.B) { f(b, OpenSQLite(b)) })
	b.Run("postgres", func(b *testing.B) { f(b, OpenPostgres(b)) })
}

// OpenSQLite opens and migrates an SQLite database in a temporary directory.
func OpenSQLite(tb testing.TB) *store.DB {
	tb.Helper()
	return openMigrated(tb, filepath.Join(tb.TempDir(), "sanctuary.db"))
}

// OpenPostgres creates a fresh schema in the test PostgreSQL database,
// opens a store on it and migrates it. The schema is dropped when the test
// ends. It skips (or, with CI set, fails) when PostgreSQL does not answer.
func OpenPostgres(tb testing.TB) *store.DB {
	tb.Helper()
	return openMigrated(tb, PostgresSchemaURL(tb))
}

// PostgresSchemaURL creates a fresh, empty schema in the test PostgreSQL
// database and returns a URL whose search_path selects it, for tests that
// open the database themselves (the CLI). The schema is dropped when the
// test ends.
func PostgresSchemaURL(tb testing.TB) string {
	tb.Helper()
	base := PostgresURL(tb)
	schema := "t_" + randomHex(tb, 8)
	admin := openAdmin(tb, base)
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		tb.Fatalf("storetest: create schema: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			tb.Errorf("storetest: drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("storetest: SANCTUARY_TEST_DATABASE_URL must be a postgres:// URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Reopen opens a second store on the database of db, with connections of
// its own, as another process would: tests of two Sanctuary processes
// sharing one database use it. It is closed when the test ends.
func Reopen(tb testing.TB, db *store.DB) *store.DB {
	tb.Helper()
	v, ok := dsns.Load(db)
	if !ok {
		tb.Fatal("storetest: Reopen takes a database opened by storetest")
	}
	return openMigrated(tb, v.(string))
}

func openMigrated(tb testing.TB, dsn string) *store.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, store.Options{Keyring: Keyring(tb)})
	if err != nil {
		tb.Fatalf("storetest: open: %v", err)
	}
	dsns.Store(db, dsn)
	tb.Cleanup(func() { db.Close(); dsns.Delete(db) })
	if _, err := db.Migrate(ctx); err != nil {
		tb.Fatalf("storetest: migrate: %v", err)
	}
	return db
}

var keyring struct {
	once sync.Once
	key  *vault.Key
	err  error
}

// Keyring returns the vault key the test databases use: one per test
// process, generated in memory (a hybrid age identity, as in production).
func Keyring(tb testing.TB) *vault.Key {
	tb.Helper()
	keyring.once.Do(func() { keyring.key, keyring.err = vault.NewKey() })
	if keyring.err != nil {
		tb.Fatalf("storetest: make a vault key: %v", keyring.err)
	}
	return keyring.key
}

var probe struct {
	once sync.Once
	err  error
}

// PostgresURL returns the test PostgreSQL URL once it has answered;
// otherwise it skips the test, or fails it when CI is set.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("SANCTUARY_TEST_DATABASE_URL")
	if u == "" {
		u = DefaultPostgresURL
	}
	probe.once.Do(func() {
		probe.err = ping(u)
		if probe.err != nil && os.Getenv("CI") == "" {
			fmt.Fprintf(os.Stderr, "storetest: PostgreSQL does not answer, so its half of every store test is skipped (set SANCTUARY_TEST_DATABASE_URL): %v\n", probe.err)
		}
	})
	if probe.err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("storetest: PostgreSQL must answer in CI: %v", probe.err)
		}
		tb.Skip("PostgreSQL does not answer; set SANCTUARY_TEST_DATABASE_URL")
	}
	return u
}

func ping(u string) error {
	db, err := openAdminDB(u)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	return db.PingContext(ctx)
}

func openAdmin(tb testing.TB, u string) *sql.DB {
	tb.Helper()
	db, err := openAdminDB(u)
	if err != nil {
		tb.Fatalf("storetest: %v", err)
	}
	return db
}

func openAdminDB(u string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(u)
	if err != nil {
		return nil, fmt.Errorf("cannot parse SANCTUARY_TEST_DATABASE_URL")
	}
	cfg.ConnectTimeout = 3 * time.Second
	return stdlib.OpenDB(*cfg), nil
}

func randomHex(tb testing.TB, n int) string {
	tb.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	return hex.EncodeToString(b)
}
