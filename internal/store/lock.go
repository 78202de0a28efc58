package store

import (
	"context"
	"fmt"
)

// Lock takes the lock called name, waiting for it, and holds it until the
// transaction ends: commit, rollback or a crash of the process all
// release it. Two processes that take the same lock run those
// transactions one after the other. Run it in Update: on PostgreSQL it is
// an advisory lock of the schema; on SQLite a write transaction holds the
// whole database already, so there is nothing more to take.
func (tx *Tx) Lock(ctx context.Context, name string) error {
	if tx.db.dialect.lock == "" {
		return nil
	}
	if _, err := tx.exec(ctx, tx.db.dialect.lock, name); err != nil {
		return fmt.Errorf("store: take the lock %q: %w", name, err)
	}
	return nil
}
