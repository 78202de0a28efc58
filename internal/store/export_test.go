package store

import (
	"context"
	"io/fs"
)

// MigrationFS exposes the embedded migrations to tests.
func MigrationFS() fs.FS { return migrations }

// ExecForTest runs a raw statement, for tests that check what the schema
// refuses.
func (tx *Tx) ExecForTest(ctx context.Context, q string) error {
	_, err := tx.exec(ctx, q)
	return err
}
