package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
)

// secretAccounts seals what the server must read back of an account: its
// TOTP secret.
const secretAccounts = "account-secrets"

const userColumns = `id, email, name, role, language, status, totp_secret IS NOT NULL,
	failures, locked_until, created_at, created_by`

// InsertUser stores a new account and sets its ID and creation time. It
// returns ECONFLICT if an account with the email exists.
func (tx *Tx) InsertUser(ctx context.Context, u *account.User) error {
	u.CreatedAt = tx.now
	err := tx.queryRow(ctx, `INSERT INTO users (email, name, role, language, status, created_at, created_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING RETURNING id`,
		u.Email, u.Name, u.Role, u.Language, u.Status, tx.timeArg(), u.CreatedBy, tx.timeArg()).Scan(&u.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return sanctuary.Errorf(sanctuary.ECONFLICT, "an account %s exists already", u.Email)
	}
	if err != nil {
		return fmt.Errorf("store: insert user: %w", err)
	}
	return nil
}

func scanUser(row scanner) (account.User, error) {
	var u account.User
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Language, &u.Status, &u.TOTPEnrolled,
		&u.Failures, timeCol{&u.LockedUntil}, timeCol{&u.CreatedAt}, &u.CreatedBy)
	return u, err
}

// UserByEmail returns the account with the (normalised) email, or
// ENOTFOUND.
func (tx *Tx) UserByEmail(ctx context.Context, email string) (account.User, error) {
	return tx.oneUser(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, email)
}

// UserByID returns the account with the ID, or ENOTFOUND.
func (tx *Tx) UserByID(ctx context.Context, id int64) (account.User, error) {
	return tx.oneUser(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id)
}

func (tx *Tx) oneUser(ctx context.Context, q string, arg any) (account.User, error) {
	u, err := scanUser(tx.queryRow(ctx, q, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return u, sanctuary.Errorf(sanctuary.ENOTFOUND, "no such account")
	}
	if err != nil {
		return u, fmt.Errorf("store: read user: %w", err)
	}
	return u, nil
}

// Users returns every account, by email.
func (tx *Tx) Users(ctx context.Context) ([]account.User, error) {
	return queryAll(ctx, tx, "list users", `SELECT `+userColumns+` FROM users ORDER BY email`, nil, scanUser)
}

// Credentials are what a sign-in checks: the password hash, the TOTP
// secret (unsealed) and the last TOTP step accepted.
type Credentials struct {
	PasswordHash string
	TOTPSecret   string
	TOTPLastStep int64
}

// UserCredentials reads an account's credentials.
func (tx *Tx) UserCredentials(ctx context.Context, id int64) (Credentials, error) {
	var c Credentials
	var hash sql.NullString
	var sealed []byte
	err := tx.queryRow(ctx, `SELECT password_hash, totp_secret, totp_last_step FROM users WHERE id = ?`, id).
		Scan(&hash, &sealed, &c.TOTPLastStep)
	if err != nil {
		return c, fmt.Errorf("store: read credentials: %w", err)
	}
	c.PasswordHash = hash.String
	if sealed != nil {
		s, err := tx.openAccountSecret(ctx, id, sealed)
		if err != nil {
			return c, err
		}
		c.TOTPSecret = string(s)
	}
	return c, nil
}

func totpAD(id int64) []byte { return []byte("sanctuary/user/" + strconv.FormatInt(id, 10) + "/totp") }

func (tx *Tx) accountSealer(ctx context.Context) (aeadCipher, error) {
	s, err := tx.instanceSecret(ctx, secretAccounts, true)
	if err != nil {
		return nil, err
	}
	return newAEAD(s)
}

func (tx *Tx) openAccountSecret(ctx context.Context, id int64, sealed []byte) ([]byte, error) {
	a, err := tx.accountSealer(ctx)
	if err != nil {
		return nil, err
	}
	p, err := unseal(a, totpAD(id), sealed)
	if err != nil {
		return nil, fmt.Errorf("store: the TOTP secret of account %d %w", id, err)
	}
	return p, nil
}

// SetPassword stores a new password hash.
func (tx *Tx) SetPassword(ctx context.Context, id int64, hash string) error {
	return tx.updateUser(ctx, id, `password_hash = ?`, hash)
}

// SetTOTP stores a TOTP secret, sealed. (ClearUserAuth removes one.)
func (tx *Tx) SetTOTP(ctx context.Context, id int64, secret string) error {
	if secret == "" {
		return errors.New("store: an empty TOTP secret")
	}
	a, err := tx.accountSealer(ctx)
	if err != nil {
		return err
	}
	sealed, err := seal(a, totpAD(id), []byte(secret))
	if err != nil {
		return err
	}
	return tx.updateUser(ctx, id, `totp_secret = ?, totp_last_step = 0`, sealed)
}

// SetTOTPLastStep records the last TOTP step accepted.
func (tx *Tx) SetTOTPLastStep(ctx context.Context, id, step int64) error {
	return tx.updateUser(ctx, id, `totp_last_step = ?`, step)
}

// SetUserStatus changes an account's status.
func (tx *Tx) SetUserStatus(ctx context.Context, id int64, s account.Status) error {
	return tx.updateUser(ctx, id, `status = ?`, s)
}

// SetUserFailures records the sign-in failures in a row and any lock.
func (tx *Tx) SetUserFailures(ctx context.Context, id int64, failures int, lockedUntil time.Time) error {
	return tx.updateUser(ctx, id, `failures = ?, locked_until = ?`, failures, tx.nullTimeArg(lockedUntil))
}

func (tx *Tx) updateUser(ctx context.Context, id int64, set string, args ...any) error {
	args = append(args, tx.timeArg(), id)
	res, err := tx.exec(ctx, `UPDATE users SET `+set+`, updated_at = ? WHERE id = ?`, args...)
	if err != nil {
		return fmt.Errorf("store: update user: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return sanctuary.Errorf(sanctuary.ENOTFOUND, "no such account")
	}
	return nil
}

// ClearUserAuth removes an account's password, second factors and
// recovery codes, for a reset.
func (tx *Tx) ClearUserAuth(ctx context.Context, id int64) error {
	if err := tx.updateUser(ctx, id, `password_hash = NULL, totp_secret = NULL, totp_last_step = 0, failures = 0, locked_until = NULL`); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM webauthn_credentials WHERE user_id = ?`, id); err != nil {
		return fmt.Errorf("store: clear passkeys: %w", err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, id); err != nil {
		return fmt.Errorf("store: clear recovery codes: %w", err)
	}
	return nil
}

// HasPassword reports whether the account has set a password.
func (tx *Tx) HasPassword(ctx context.Context, id int64) (bool, error) {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE id = ? AND password_hash IS NOT NULL`, id).Scan(&n); err != nil {
		return false, fmt.Errorf("store: read user: %w", err)
	}
	return n == 1, nil
}

// CountActiveAdmins counts active admin accounts.
func (tx *Tx) CountActiveAdmins(ctx context.Context) (int, error) {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE role = 'admin' AND status = 'active'`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count admins: %w", err)
	}
	return n, nil
}

// AdvanceTOTPStep records step as the last TOTP step used, if it is later
// than the one recorded, and reports whether it was: of two sign-ins with
// the same code at once, only one gets through.
func (tx *Tx) AdvanceTOTPStep(ctx context.Context, id, step int64) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`, step, id, step)
	if err != nil {
		return false, fmt.Errorf("store: record TOTP step: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ReserveAttempt counts one more sign-in attempt for the account before it
// is checked, unless the account is locked: then it counts nothing and
// reports false. lockAt says, for the new count, until when to lock (zero:
// not at all); the lock is set with the count, so attempts made in
// parallel cannot slip past it. It is a compare-and-set on the count: a
// caller that loses every race is refused, never let through.
func (tx *Tx) ReserveAttempt(ctx context.Context, id int64, lockAt func(int, time.Time) time.Time) (bool, time.Time, error) {
	for range 5 {
		var n int
		var locked time.Time
		err := tx.queryRow(ctx, `SELECT failures, locked_until FROM users WHERE id = ?`, id).Scan(&n, timeCol{&locked})
		if err != nil {
			return false, time.Time{}, fmt.Errorf("store: read sign-in failures: %w", err)
		}
		if tx.now.Before(locked) {
			return false, locked, nil
		}
		lock := lockAt(n+1, tx.now)
		res, err := tx.exec(ctx, `UPDATE users SET failures = ?, locked_until = ? WHERE id = ? AND failures = ?`,
			n+1, tx.nullTimeArg(lock), id, n)
		if err != nil {
			return false, time.Time{}, fmt.Errorf("store: count a sign-in attempt: %w", err)
		}
		if k, _ := res.RowsAffected(); k == 1 {
			return true, lock, nil
		}
	}
	return false, time.Time{}, nil
}

// ClearUserLock lifts a lock set by ReserveAttempt, keeping the count (the
// password was right; the second factor is still to come).
func (tx *Tx) ClearUserLock(ctx context.Context, id int64) error {
	return tx.updateUser(ctx, id, `locked_until = NULL`)
}
