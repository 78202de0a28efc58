package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
)

// PasskeyRoles lists the roles whose accounts must sign in with a
// passkey, in the order of sanctuary.StaffRoles.
func (tx *Tx) PasskeyRoles(ctx context.Context) ([]sanctuary.Role, error) {
	got, err := queryAll(ctx, tx, "list passkey roles", `SELECT role FROM passkey_roles`, nil, func(row scanner) (sanctuary.Role, error) {
		var r sanctuary.Role
		err := row.Scan(&r)
		return r, err
	})
	if err != nil {
		return nil, err
	}
	out := []sanctuary.Role{}
	for _, r := range sanctuary.StaffRoles() {
		for _, g := range got {
			if g == r {
				out = append(out, r)
			}
		}
	}
	return out, nil
}

// PasskeyRequired reports whether accounts of the role must sign in with
// a passkey.
func (tx *Tx) PasskeyRequired(ctx context.Context, role sanctuary.Role) (bool, error) {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM passkey_roles WHERE role = ?`, role).Scan(&n); err != nil {
		return false, fmt.Errorf("store: read passkey roles: %w", err)
	}
	return n == 1, nil
}

// SetPasskeyRequired requires passkeys of the role's accounts, or stops
// requiring them; it reports whether that changed anything.
func (tx *Tx) SetPasskeyRequired(ctx context.Context, role sanctuary.Role, required bool, by string) (bool, error) {
	var res sql.Result
	var err error
	if required {
		res, err = tx.exec(ctx, `INSERT INTO passkey_roles (role, set_at, set_by) VALUES (?, ?, ?) ON CONFLICT (role) DO NOTHING`,
			role, tx.timeArg(), by)
	} else {
		res, err = tx.exec(ctx, `DELETE FROM passkey_roles WHERE role = ?`, role)
	}
	if err != nil {
		return false, fmt.Errorf("store: set passkey roles: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// UsersWithoutPasskey lists the accounts of a role that requires passkeys
// which are not disabled and have no passkey yet, by email.
func (tx *Tx) UsersWithoutPasskey(ctx context.Context) ([]account.User, error) {
	return queryAll(ctx, tx, "list accounts without a passkey", `SELECT `+userColumns+` FROM users
		WHERE role IN (SELECT role FROM passkey_roles) AND status <> ?
		AND NOT EXISTS (SELECT 1 FROM webauthn_credentials w WHERE w.user_id = users.id)
		ORDER BY email`, []any{account.StatusDisabled}, scanUser)
}

// CountActiveAdminsWithPasskey counts the active admins with at least one
// passkey.
func (tx *Tx) CountActiveAdminsWithPasskey(ctx context.Context) (int, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE role = ? AND status = ?
		AND EXISTS (SELECT 1 FROM webauthn_credentials w WHERE w.user_id = users.id)`,
		sanctuary.RoleAdmin, account.StatusActive).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count admins with a passkey: %w", err)
	}
	return n, nil
}

// PasskeyLink is a one-time link to register a passkey.
type PasskeyLink struct {
	UserID    int64
	ExpiresAt time.Time
	UsedAt    time.Time
}

// InsertPasskeyLink stores a passkey link under its token's hash, and
// retires the account's earlier unused ones: one link is live at a time.
func (tx *Tx) InsertPasskeyLink(ctx context.Context, hash string, userID int64, by string, expires time.Time) error {
	if err := tx.RetirePasskeyLinks(ctx, userID); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO passkey_links (token_hash, user_id, created_at, created_by, expires_at)
		VALUES (?, ?, ?, ?, ?)`, hash, userID, tx.timeArg(), by, tx.timeValue(expires))
	if err != nil {
		return fmt.Errorf("store: insert passkey link: %w", err)
	}
	return nil
}

// RetirePasskeyLinks marks every unused passkey link of the account used:
// one issued before a reset or a disabling must not work after it.
func (tx *Tx) RetirePasskeyLinks(ctx context.Context, userID int64) error {
	if _, err := tx.exec(ctx, `UPDATE passkey_links SET used_at = ? WHERE user_id = ? AND used_at IS NULL`, tx.timeArg(), userID); err != nil {
		return fmt.Errorf("store: retire passkey links: %w", err)
	}
	return nil
}

// PasskeyLinkByHash returns the link, or ENOTFOUND.
func (tx *Tx) PasskeyLinkByHash(ctx context.Context, hash string) (PasskeyLink, error) {
	var l PasskeyLink
	err := tx.queryRow(ctx, `SELECT user_id, expires_at, used_at FROM passkey_links WHERE token_hash = ?`, hash).
		Scan(&l.UserID, timeCol{&l.ExpiresAt}, timeCol{&l.UsedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return l, sanctuary.Errorf(sanctuary.ENOTFOUND, "this passkey link is not valid")
	}
	if err != nil {
		return l, fmt.Errorf("store: read passkey link: %w", err)
	}
	return l, nil
}

// UsePasskeyLink marks the link used; it returns ECONFLICT if it was used
// already.
func (tx *Tx) UsePasskeyLink(ctx context.Context, hash string) error {
	res, err := tx.exec(ctx, `UPDATE passkey_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL`, tx.timeArg(), hash)
	if err != nil {
		return fmt.Errorf("store: use passkey link: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return sanctuary.Errorf(sanctuary.ECONFLICT, "this passkey link was used already")
	}
	return nil
}
