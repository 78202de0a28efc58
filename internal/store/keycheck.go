package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/sanctuary-platform/sanctuary"
)

// checkKeys runs after the migrations. It refuses a database whose client
// data was written before it was encrypted (by a development version,
// which no migration can encrypt without the vault key in SQL), and a
// vault key that does not open the keys this database holds — so that a
// wrong SANCTUARY_VAULT_KEY_FILE is reported at start-up, not on the first
// case someone opens.
func (db *DB) checkKeys(ctx context.Context) error {
	return db.View(ctx, func(tx *Tx) error {
		var n int
		err := tx.queryRow(ctx, `SELECT COUNT(*) FROM cases c
			WHERE NOT EXISTS (SELECT 1 FROM case_data_keys k WHERE k.case_id = c.id)`).Scan(&n)
		if err != nil {
			return fmt.Errorf("store: check the case keys: %w", err)
		}
		if n > 0 {
			return &sanctuary.Error{Code: sanctuary.EUNAVAILABLE, Message: fmt.Sprintf(
				"%d case(s) in this database were written unencrypted by a development version of Sanctuary; "+
					"it cannot be upgraded in place: start with a new data directory or database", n)}
		}
		return tx.checkVaultKey(ctx)
	})
}

func (tx *Tx) checkVaultKey(ctx context.Context) error {
	var wrapped []byte
	err := tx.queryRow(ctx, `SELECT wrapped FROM instance_secrets ORDER BY name LIMIT 1`).Scan(&wrapped)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // nothing wrapped yet: any vault key will do
	}
	if err != nil {
		return fmt.Errorf("store: check the vault key: %w", err)
	}
	if _, err := tx.db.keyring.UnwrapSecret(wrapped); err != nil {
		return &sanctuary.Error{Code: sanctuary.EUNAVAILABLE,
			Message: "the vault key does not open this database's keys: is SANCTUARY_VAULT_KEY_FILE (or the passphrase) the one this database was created with?",
			Err:     err}
	}
	return nil
}
