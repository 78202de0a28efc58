package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
)

// The instance secrets: 32 random bytes each, made on first use and kept in
// instance_secrets only wrapped to the vault key.
const (
	// secretCaseKeyWrapping wraps every case's data key. Unwrapping a key
	// with the vault key costs a post-quantum decapsulation (~0.2 ms); with
	// this secret, unwrapped once per process, it costs a microsecond, so
	// a list of 50 cases does not pay 50 decapsulations.
	secretCaseKeyWrapping = "case-key-wrapping"
	// secretNameIndex keys the blind name index.
	secretNameIndex = "name-index"
)

// instanceSecret returns the named secret, making it when create is set
// and it does not exist (nil, nil when it does not and create is not set).
//
// A secret read from the database is kept for the life of the process. One
// made in this transaction stays with the transaction, so a rolled-back
// transaction leaves nothing behind in the process that is not in the
// database. Two transactions making it at once agree on one: the second
// insert does nothing and reads the first's.
func (tx *Tx) instanceSecret(ctx context.Context, name string, create bool) ([]byte, error) {
	if s, ok := tx.secrets[name]; ok {
		return s, nil
	}
	if s, ok := tx.db.secrets.Load(name); ok {
		return s.([]byte), nil
	}
	wrapped, err := tx.readSecret(ctx, name)
	switch {
	case errors.Is(err, sql.ErrNoRows) && !create:
		return nil, nil
	case errors.Is(err, sql.ErrNoRows):
		return tx.newSecret(ctx, name)
	case err != nil:
		return nil, fmt.Errorf("store: read the %s secret: %w", name, err)
	}
	s, err := tx.db.keyring.UnwrapSecret(wrapped)
	if err != nil {
		return nil, fmt.Errorf("store: unwrap the %s secret: %w", name, err)
	}
	tx.db.secrets.Store(name, s)
	return s, nil
}

func (tx *Tx) readSecret(ctx context.Context, name string) ([]byte, error) {
	var wrapped []byte
	err := tx.queryRow(ctx, `SELECT wrapped FROM instance_secrets WHERE name = ?`, name).Scan(&wrapped)
	return wrapped, err
}

func (tx *Tx) newSecret(ctx context.Context, name string) ([]byte, error) {
	s := make([]byte, 32)
	if _, err := rand.Read(s); err != nil {
		return nil, err
	}
	wrapped, err := tx.db.keyring.WrapSecret(s)
	if err != nil {
		return nil, fmt.Errorf("store: wrap the %s secret: %w", name, err)
	}
	_, err = tx.exec(ctx, `INSERT INTO instance_secrets (name, wrapped, created_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO NOTHING`, name, wrapped, tx.timeArg())
	if err != nil {
		return nil, fmt.Errorf("store: store the %s secret: %w", name, err)
	}
	stored, err := tx.readSecret(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("store: read the %s secret: %w", name, err)
	}
	if !bytes.Equal(stored, wrapped) { // another transaction made it first
		if s, err = tx.db.keyring.UnwrapSecret(stored); err != nil {
			return nil, fmt.Errorf("store: unwrap the %s secret: %w", name, err)
		}
	}
	tx.secrets[name] = s
	return s, nil
}
