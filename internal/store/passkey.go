package store

import (
	"context"
	"fmt"
	"time"
)

// Passkey is a WebAuthn credential of an account, kept as the JSON of the
// library's credential record (public key, sign count, flags).
type Passkey struct {
	ID         []byte    `json:"id"`
	UserID     int64     `json:"-"`
	Name       string    `json:"name"`
	Credential []byte    `json:"-"`
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at,omitzero"`
}

// InsertPasskey stores a new passkey.
func (tx *Tx) InsertPasskey(ctx context.Context, p *Passkey) error {
	p.CreatedAt = tx.now
	_, err := tx.exec(ctx, `INSERT INTO webauthn_credentials (id, user_id, name, credential, created_at) VALUES (?, ?, ?, ?, ?)`,
		p.ID, p.UserID, p.Name, p.Credential, tx.timeArg())
	if err != nil {
		return fmt.Errorf("store: insert passkey: %w", err)
	}
	return nil
}

// Passkeys lists the account's passkeys, oldest first.
func (tx *Tx) Passkeys(ctx context.Context, userID int64) ([]Passkey, error) {
	return queryAll(ctx, tx, "list passkeys", `SELECT id, user_id, name, credential, created_at, last_used_at
		FROM webauthn_credentials WHERE user_id = ? ORDER BY created_at, id`, []any{userID}, func(row scanner) (Passkey, error) {
		var p Passkey
		err := row.Scan(&p.ID, &p.UserID, &p.Name, &p.Credential, timeCol{&p.CreatedAt}, timeCol{&p.LastUsedAt})
		return p, err
	})
}

// UpdatePasskey stores a passkey's record after a sign-in (its new sign
// count) and the time of use.
func (tx *Tx) UpdatePasskey(ctx context.Context, userID int64, id, credential []byte) error {
	_, err := tx.exec(ctx, `UPDATE webauthn_credentials SET credential = ?, last_used_at = ? WHERE user_id = ? AND id = ?`,
		credential, tx.timeArg(), userID, id)
	if err != nil {
		return fmt.Errorf("store: update passkey: %w", err)
	}
	return nil
}

// DeletePasskey removes one of the account's passkeys and reports whether
// it existed.
func (tx *Tx) DeletePasskey(ctx context.Context, userID int64, id []byte) (bool, error) {
	res, err := tx.exec(ctx, `DELETE FROM webauthn_credentials WHERE user_id = ? AND id = ?`, userID, id)
	if err != nil {
		return false, fmt.Errorf("store: delete passkey: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}
