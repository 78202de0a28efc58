// Package store keeps Sanctuary's records in a relational database: SQLite
// (the embedded default, one file under the data directory) or PostgreSQL
// (for several servers sharing one database).
//
// There is one implementation, written in hand-written SQL over
// database/sql. The few differences between the two databases live in a
// dialect value (placeholders, time columns, migration locking) and in the
// per-dialect migration folders under migrations/.
//
// Every use case runs in one transaction: [DB.Update] for writes, [DB.View]
// for reads. A transaction stamps every row it writes with one time, taken
// from [DB.Now] when it starts.
//
// Columns that hold client data (a person's identity, fact values, note
// bodies, timeline details, assessments, evidence descriptions) are
// encrypted with the case's data key (XChaCha20-Poly1305), which is kept
// only wrapped, under an instance secret that is itself wrapped to the vault
// key (a [Keyring]); destroying a case's key makes all of them unreadable.
// Names can be looked up exactly through a keyed blind index, never in the
// clear.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"

	"github.com/sanctuary-platform/sanctuary/internal/audit"
)

// DB is an open database.
type DB struct {
	write   *sql.DB // SQLite: exactly one connection; PostgreSQL: the pool
	read    *sql.DB // SQLite: a pool of query-only connections; PostgreSQL: = write
	dialect dialect
	keyring Keyring
	// secrets holds the instance secrets read so far, by name.
	secrets sync.Map

	// Now returns the current time; tests replace it.
	Now func() time.Time
}

// Options configure Open.
type Options struct {
	// Keyring wraps the case data keys; it is required.
	Keyring Keyring
}

// IsPostgresURL reports whether dsn names a PostgreSQL database rather than
// an SQLite file.
func IsPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database named by dsn: a postgres:// URL, or else the path
// of an SQLite file, which is created (with its directory) if missing. It
// checks the connection but does not migrate; call Migrate for that.
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	if opts.Keyring == nil {
		return nil, errors.New("store: a keyring (the vault key) is required")
	}
	db := &DB{keyring: opts.Keyring, Now: time.Now}
	var err error
	if IsPostgresURL(dsn) {
		err = db.openPostgres(dsn)
	} else {
		err = db.openSQLite(dsn)
	}
	if err != nil {
		return nil, err
	}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func (db *DB) openPostgres(url string) error {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		// The parser's message may quote the URL with its password.
		return errors.New("store: cannot parse the PostgreSQL URL; its form is postgres://user@host:5432/database")
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	pool := stdlib.OpenDB(*cfg)
	pool.SetMaxOpenConns(20)
	pool.SetMaxIdleConns(10)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	db.write, db.read, db.dialect = pool, pool, dialectPostgres
	return nil
}

// sqlitePragmas are set on every SQLite connection: foreign keys on, WAL so
// readers never block the writer, a busy timeout for a second process (the
// CLI beside a running server), synchronous=NORMAL, which in WAL mode is
// still safe against corruption and makes commits ~9× faster, and
// secure_delete, so that deleted content (a destroyed case key) is
// overwritten with zeros instead of lingering in free space.
const sqlitePragmas = "_pragma=foreign_keys(1)&_pragma=journal_mode(wal)" +
	"&_pragma=busy_timeout(10000)&_pragma=synchronous(normal)&_pragma=secure_delete(1)"

func (db *DB) openSQLite(path string) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("store: create database directory: %w", err)
		}
	}
	// Create the file readable by its owner only; SQLite gives its WAL and
	// shared-memory files the same mode.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("store: create database file: %w", err)
	}
	f.Close()
	uri := "file:" + filepath.ToSlash(path) + "?"
	// Writes take the lock at BEGIN (immediate), so two writers queue on
	// the busy timeout instead of failing when a read lock is upgraded.
	w, err := openSQLitePool(uri + sqlitePragmas + "&_txlock=immediate")
	if err != nil {
		return err
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	r, err := openSQLitePool(uri + sqlitePragmas + "&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return err
	}
	r.SetMaxOpenConns(max(4, runtime.NumCPU()))
	db.write, db.read, db.dialect = w, r, dialectSQLite
	return nil
}

func openSQLitePool(dsn string) (*sql.DB, error) {
	c, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	return sql.OpenDB(c), nil
}

// Dialect returns "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.name }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return fmt.Errorf("store: %s does not answer: %w", db.dialect.name, err)
	}
	return nil
}

// Checkpoint moves SQLite's write-ahead log into the database file and
// truncates it, so that what was overwritten (a destroyed key) no longer
// sits in old log frames. PostgreSQL manages its own log: nothing to do.
func (db *DB) Checkpoint(ctx context.Context) error {
	if db.dialect.name != "sqlite" {
		return nil
	}
	if _, err := db.write.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return fmt.Errorf("store: checkpoint: %w", err)
	}
	return nil
}

// Close closes the database.
func (db *DB) Close() error {
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Tx is one transaction. Every row it writes is stamped with Now().
type Tx struct {
	tx   *sql.Tx
	db   *DB
	now  time.Time
	keys map[int64]aeadCipher // data keys read in this transaction; nil: destroyed
	// secrets are instance secrets made in this transaction.
	secrets map[string][]byte
	// audits are the audit entries of this transaction; see Tx.Audit.
	audits []audit.Entry
}

// Now returns the time the transaction started, in UTC with microsecond
// precision (what both databases keep).
func (tx *Tx) Now() time.Time { return tx.now }

// Update runs fn in a read-write transaction and commits it if fn returns
// nil; otherwise, or if fn panics, it rolls back and nothing is written.
func (db *DB) Update(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, db.write, fn)
}

// View runs fn in a transaction meant for reading only.
func (db *DB) View(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, db.read, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, fn func(*Tx) error) (err error) {
	sqlTx, err := pool.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	tx := &Tx{tx: sqlTx, db: db, now: db.Now().UTC().Truncate(time.Microsecond), keys: map[int64]aeadCipher{}, secrets: map[string][]byte{}}
	defer func() {
		if p := recover(); p != nil {
			sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			sqlTx.Rollback()
		}
	}()
	err = fn(tx)
	queued := tx.audits
	if err == nil && pool == db.write && len(queued) > 0 {
		if err = tx.appendAudits(ctx, queued); err == nil {
			if err = sqlTx.Commit(); err != nil { // the entries went down with it: write them again
				return errors.Join(fmt.Errorf("store: commit: %w", err), db.appendAudits(ctx, queued))
			}
			return nil
		}
	}
	if err != nil {
		sqlTx.Rollback()
		return errors.Join(err, db.appendAudits(ctx, queued))
	}
	if err = sqlTx.Commit(); err != nil {
		return errors.Join(fmt.Errorf("store: commit: %w", err), db.appendAudits(ctx, queued))
	}
	if pool == db.write {
		return nil // written in the transaction
	}
	return db.appendAudits(ctx, queued)
}

// Audit queues an entry for the audit trail. A read-write transaction
// writes its entries just before it commits; a read-only one, or one that
// fails, has them written in a transaction of their own afterwards — an
// access that was refused is recorded all the same. If they cannot be
// written, the use case fails: no access goes unrecorded.
func (tx *Tx) Audit(e audit.Entry) { tx.audits = append(tx.audits, e) }

func (tx *Tx) appendAudits(ctx context.Context, es []audit.Entry) error {
	for i := range es {
		if err := tx.AppendAudit(ctx, &es[i]); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) appendAudits(ctx context.Context, es []audit.Entry) error {
	if len(es) == 0 {
		return nil
	}
	// Record it even if the caller has gone away.
	ctx = context.WithoutCancel(ctx)
	return db.Update(ctx, func(tx *Tx) error { return tx.appendAudits(ctx, es) })
}

func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return tx.tx.ExecContext(ctx, tx.db.dialect.rebind(query), args...)
}

func (tx *Tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return tx.tx.QueryContext(ctx, tx.db.dialect.rebind(query), args...)
}

func (tx *Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, tx.db.dialect.rebind(query), args...)
}

// Analyze refreshes the query planner's statistics. PostgreSQL does this
// on its own after enough changes; call it after a bulk import so that
// the next queries are planned with the new numbers.
func (db *DB) Analyze(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, "ANALYZE"); err != nil {
		return fmt.Errorf("store: analyze: %w", err)
	}
	return nil
}
