package storetest

import (
	"bytes"
	"database/sql"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	_ "modernc.org/sqlite" // the driver of Exec

	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// dsns remembers what each test database was opened from, for Dump.
var dsns sync.Map // *store.DB → string

// Dump returns everything an adversary holding a copy of the database
// would have: for SQLite the bytes of the database file and its
// write-ahead log, for PostgreSQL the output of pg_dump for the test's
// schema. Canary tests search it for client data.
func Dump(tb testing.TB, db *store.DB) []byte {
	tb.Helper()
	v, ok := dsns.Load(db)
	if !ok {
		tb.Fatal("storetest: Dump takes a database opened by storetest")
	}
	dsn := v.(string)
	if !store.IsPostgresURL(dsn) {
		var all []byte
		for _, p := range []string{dsn, dsn + "-wal"} {
			b, err := os.ReadFile(p)
			if err != nil && !os.IsNotExist(err) {
				tb.Fatalf("storetest: read %s: %v", p, err)
			}
			all = append(all, b...)
		}
		return all
	}
	return pgDump(tb, dsn)
}

func pgDump(tb testing.TB, dsn string) []byte {
	tb.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	schema := q.Get("search_path")
	q.Del("search_path")
	u.RawQuery = q.Encode()
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		tb.Fatal("storetest: pg_dump is needed to dump the PostgreSQL test database (Debian: postgresql-client)")
	}
	var stderr bytes.Buffer
	cmd := exec.Command(bin, "--schema="+schema, "--no-owner", u.String())
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("storetest: pg_dump: %v: %s", err, stderr.String())
	}
	return out
}

// Exec runs raw statements against a test database over a connection of
// its own, in one transaction, as someone with write access to the
// database (not through the store) would: tamper tests use it.
func Exec(tb testing.TB, db *store.DB, queries ...string) {
	tb.Helper()
	v, ok := dsns.Load(db)
	if !ok {
		tb.Fatal("storetest: Exec takes a database opened by storetest")
	}
	dsn := v.(string)
	var raw *sql.DB
	var err error
	if store.IsPostgresURL(dsn) {
		raw, err = openAdminDB(dsn)
	} else {
		raw, err = sql.Open("sqlite", "file:"+filepath.ToSlash(dsn)+"?_pragma=busy_timeout(10000)")
	}
	if err != nil {
		tb.Fatal(err)
	}
	defer raw.Close()
	tx, err := raw.Begin()
	if err != nil {
		tb.Fatal(err)
	}
	for _, q := range queries {
		if _, err := tx.Exec(q); err != nil {
			tx.Rollback()
			tb.Fatalf("storetest: %s: %v", q, err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}
