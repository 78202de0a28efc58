package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// migrations holds the forward-only schema changes, one folder per dialect.
// Both folders hold the same file names (a test checks); a released file is
// never edited, only followed by a new one.
//
//go:embed migrations
var migrations embed.FS

// migrationNames lists the dialect's migration files in the order they run.
func (d dialect) migrationNames() ([]string, error) {
	entries, err := fs.ReadDir(migrations, "migrations/"+d.name)
	if err != nil {
		return nil, fmt.Errorf("store: list migrations: %w", err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names, nil
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	name TEXT PRIMARY KEY,
	applied_at TEXT NOT NULL
)`

// Migrate brings the schema up to date. Each migration runs in its own
// transaction and is recorded by name; it returns the names it applied.
// It then checks that the vault key opens the database's keys.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	names, err := db.dialect.migrationNames()
	if err != nil {
		return nil, err
	}
	var applied []string
	for _, name := range names {
		done, err := db.applyMigration(ctx, name)
		if err != nil {
			return applied, err
		}
		if done {
			applied = append(applied, name)
		}
	}
	return applied, db.checkKeys(ctx)
}

func (db *DB) applyMigration(ctx context.Context, name string) (applied bool, err error) {
	body, err := migrations.ReadFile(path.Join("migrations", db.dialect.name, name))
	if err != nil {
		return false, fmt.Errorf("store: read migration %s: %w", name, err)
	}
	err = db.Update(ctx, func(tx *Tx) error {
		if l := db.dialect.lockMigrations; l != "" {
			if _, err := tx.exec(ctx, l); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, createMigrationsTable); err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE name = ?`, name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		if _, err := tx.exec(ctx, string(body)); err != nil {
			return err
		}
		applied = true
		_, err := tx.exec(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`,
			name, tx.Now().Format(timeLayout))
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: migration %s: %w", name, err)
	}
	return applied, nil
}

// PendingMigrations returns the migrations not yet applied.
func (db *DB) PendingMigrations(ctx context.Context) ([]string, error) {
	names, err := db.dialect.migrationNames()
	if err != nil {
		return nil, err
	}
	done := map[string]bool{}
	err = db.View(ctx, func(tx *Tx) error {
		var exists int
		if err := tx.queryRow(ctx, db.dialect.tableExists, "schema_migrations").Scan(&exists); err != nil {
			return err
		}
		if exists == 0 {
			return nil // a new database: everything is pending
		}
		rows, err := tx.query(ctx, `SELECT name FROM schema_migrations`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				return err
			}
			done[n] = true
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: read applied migrations: %w", err)
	}
	var pending []string
	for _, n := range names {
		if !done[n] {
			pending = append(pending, n)
		}
	}
	return pending, nil
}
