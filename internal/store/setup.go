package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
)

// SetupLink is a one-time link to set up an account.
type SetupLink struct {
	UserID    int64
	ExpiresAt time.Time
	UsedAt    time.Time
}

// InsertSetupLink stores a setup link under its token's hash.
func (tx *Tx) InsertSetupLink(ctx context.Context, hash string, userID int64, by string, expires time.Time) error {
	_, err := tx.exec(ctx, `INSERT INTO setup_links (token_hash, user_id, created_at, created_by, expires_at)
		VALUES (?, ?, ?, ?, ?)`, hash, userID, tx.timeArg(), by, tx.timeValue(expires))
	if err != nil {
		return fmt.Errorf("store: insert setup link: %w", err)
	}
	return nil
}

// SetupLinkByHash returns the link, or ENOTFOUND.
func (tx *Tx) SetupLinkByHash(ctx context.Context, hash string) (SetupLink, error) {
	var l SetupLink
	err := tx.queryRow(ctx, `SELECT user_id, expires_at, used_at FROM setup_links WHERE token_hash = ?`, hash).
		Scan(&l.UserID, timeCol{&l.ExpiresAt}, timeCol{&l.UsedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return l, sanctuary.Errorf(sanctuary.ENOTFOUND, "this setup link is not valid")
	}
	if err != nil {
		return l, fmt.Errorf("store: read setup link: %w", err)
	}
	return l, nil
}

// UseSetupLink marks the link used; it returns ECONFLICT if it was used
// already.
func (tx *Tx) UseSetupLink(ctx context.Context, hash string) error {
	res, err := tx.exec(ctx, `UPDATE setup_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL`, tx.timeArg(), hash)
	if err != nil {
		return fmt.Errorf("store: use setup link: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return sanctuary.Errorf(sanctuary.ECONFLICT, "this setup link was used already")
	}
	return nil
}

// RetireSetupLinks marks every unused link of the account used, when a new
// one replaces them.
func (tx *Tx) RetireSetupLinks(ctx context.Context, userID int64) error {
	_, err := tx.exec(ctx, `UPDATE setup_links SET used_at = ? WHERE user_id = ? AND used_at IS NULL`, tx.timeArg(), userID)
	if err != nil {
		return fmt.Errorf("store: retire setup links: %w", err)
	}
	return nil
}

// recoveryHash is what a recovery code is kept under: HMAC-SHA-256 of its
// normalised form under the accounts secret (itself wrapped to the vault
// key), so that a copy of the database alone gives no way to try the 2^50
// possible codes.
func (tx *Tx) recoveryHash(ctx context.Context, code string) (string, error) {
	key, err := tx.instanceSecret(ctx, secretAccounts, true)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte("sanctuary/recovery-code:" + account.NormalizeRecoveryCode(code)))
	return hex.EncodeToString(m.Sum(nil)), nil
}

// ReplaceRecoveryCodes keeps a new set of recovery codes for the account,
// dropping the old set.
func (tx *Tx) ReplaceRecoveryCodes(ctx context.Context, userID int64, codes []string) error {
	if _, err := tx.exec(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("store: replace recovery codes: %w", err)
	}
	for _, c := range codes {
		h, err := tx.recoveryHash(ctx, c)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)`, userID, h); err != nil {
			return fmt.Errorf("store: replace recovery codes: %w", err)
		}
	}
	return nil
}

// UseRecoveryCode marks the code used and reports whether it was a valid,
// unused code of the account.
func (tx *Tx) UseRecoveryCode(ctx context.Context, userID int64, code string) (bool, error) {
	hash, err := tx.recoveryHash(ctx, code)
	if err != nil {
		return false, err
	}
	res, err := tx.exec(ctx, `UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`,
		tx.timeArg(), userID, hash)
	if err != nil {
		return false, fmt.Errorf("store: use recovery code: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// RecoveryCodesLeft counts the account's unused recovery codes.
func (tx *Tx) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL`, userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count recovery codes: %w", err)
	}
	return n, nil
}
