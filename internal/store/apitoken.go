package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sanctuary-platform/sanctuary"
)

// APIToken is a scoped, expiring token of an account. Only the hash of
// the token is kept.
type APIToken struct {
	ID         int64     `json:"id"`
	UserID     int64     `json:"-"`
	Name       string    `json:"name"`
	TokenHash  string    `json:"-"`
	Scopes     []string  `json:"scopes"`
	CreatedAt  time.Time `json:"created_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	LastUsedAt time.Time `json:"last_used_at,omitzero"`
	RevokedAt  time.Time `json:"revoked_at,omitzero"`
}

// InsertAPIToken stores a new token and sets its ID.
func (tx *Tx) InsertAPIToken(ctx context.Context, t *APIToken) error {
	t.CreatedAt = tx.now
	err := tx.queryRow(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, scopes, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, t.UserID, t.Name, t.TokenHash, strings.Join(t.Scopes, " "),
		tx.timeArg(), tx.timeValue(t.ExpiresAt)).Scan(&t.ID)
	if err != nil {
		return fmt.Errorf("store: insert API token: %w", err)
	}
	return nil
}

const apiTokenColumns = `id, user_id, name, token_hash, scopes, created_at, expires_at, last_used_at, revoked_at`

func scanAPIToken(row scanner) (APIToken, error) {
	var t APIToken
	var scopes string
	err := row.Scan(&t.ID, &t.UserID, &t.Name, &t.TokenHash, &scopes, timeCol{&t.CreatedAt}, timeCol{&t.ExpiresAt},
		timeCol{&t.LastUsedAt}, timeCol{&t.RevokedAt})
	t.Scopes = strings.Fields(scopes)
	return t, err
}

// APITokenByHash returns the token, or EUNAUTHORIZED.
func (tx *Tx) APITokenByHash(ctx context.Context, hash string) (APIToken, error) {
	t, err := scanAPIToken(tx.queryRow(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens WHERE token_hash = ?`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return t, sanctuary.Errorf(sanctuary.EUNAUTHORIZED, "the API token is not valid")
	}
	if err != nil {
		return t, fmt.Errorf("store: read API token: %w", err)
	}
	return t, nil
}

// APITokens lists an account's tokens, newest first.
func (tx *Tx) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	return queryAll(ctx, tx, "list API tokens", `SELECT `+apiTokenColumns+` FROM api_tokens WHERE user_id = ? ORDER BY id DESC`,
		[]any{userID}, scanAPIToken)
}

// TouchAPIToken records the token's use now.
func (tx *Tx) TouchAPIToken(ctx context.Context, id int64) error {
	if _, err := tx.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, tx.timeArg(), id); err != nil {
		return fmt.Errorf("store: touch API token: %w", err)
	}
	return nil
}

// RevokeAPIToken revokes one of the account's tokens; ENOTFOUND if it has
// no such live token.
func (tx *Tx) RevokeAPIToken(ctx context.Context, userID, id int64) error {
	res, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND id = ? AND revoked_at IS NULL`,
		tx.timeArg(), userID, id)
	if err != nil {
		return fmt.Errorf("store: revoke API token: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return sanctuary.Errorf(sanctuary.ENOTFOUND, "no live API token %d", id)
	}
	return nil
}

// RevokeUserAPITokens revokes every token of the account.
func (tx *Tx) RevokeUserAPITokens(ctx context.Context, userID int64) error {
	_, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, tx.timeArg(), userID)
	if err != nil {
		return fmt.Errorf("store: revoke API tokens: %w", err)
	}
	return nil
}
