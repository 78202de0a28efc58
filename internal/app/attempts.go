package app

import (
	"context"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/audit"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// attempt is one sign-in attempt — a password, a code, a passkey answer,
// an invitation — counted before it is checked, against the address and,
// when one is known, the account. Counting first is what makes the limits
// hold when an attacker sends hundreds of attempts at once: each must
// first get past the count, which only so many can. A success gives the
// address's count back; the account's count is cleared only when a
// sign-in completes (promote).
type attempt struct {
	address string
	at      time.Time // when the address's count was taken, to give it back
	user    account.User
	locked  time.Time // the lock this attempt's count set, if any
	action  string
}

// errBusy answers when too many passwords are being checked at once.
var errBusy = &sanctuary.Error{Code: sanctuary.EUNAVAILABLE, Message: "the server is busy; try again in a moment"}

// beginAttempt counts an attempt. If the address or the account is over
// its limit, the refusal is recorded and errSignIn returned: the attempt
// is not checked at all.
func (a *App) beginAttempt(ctx context.Context, u account.User, address, action string) (*attempt, error) {
	at := &attempt{address: address, user: u, action: action}
	var refused string
	ctx = context.WithoutCancel(ctx) // a count, once begun, is kept
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		at.at = tx.Now()
		n, err := tx.ReserveAddress(ctx, address, tx.Now().Add(-account.AddressWindow))
		if err != nil {
			return err
		}
		if n > account.AddressFailures {
			refused = "address paused after too many attempts"
		} else if u.ID != 0 {
			ok, lock, err := tx.ReserveAttempt(ctx, u.ID, account.LockAfter)
			switch {
			case err != nil:
				return err
			case !ok:
				refused = "account locked"
			default:
				at.locked = lock
			}
		}
		if refused != "" {
			tx.Audit(at.entry(audit.Denied, refused))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if refused != "" {
		return nil, errSignIn
	}
	return at, nil
}

// fail records a failed attempt (it stays counted) and returns the one
// sign-in error.
func (a *App) fail(ctx context.Context, at *attempt) error {
	detail := "wrong credentials"
	if !at.locked.IsZero() {
		detail += "; account locked until " + at.locked.Format(time.RFC3339)
	}
	ctx = context.WithoutCancel(ctx)
	if err := a.db.Update(ctx, func(tx *store.Tx) error { tx.Audit(at.entry(audit.Denied, detail)); return nil }); err != nil {
		return err
	}
	return errSignIn
}

// succeed gives the address's count back, in the transaction that records
// the success.
func (at *attempt) succeed(ctx context.Context, tx *store.Tx) error {
	return tx.ReleaseAddress(ctx, at.address, at.at)
}

// entry is the audit entry of the attempt. An unknown account's typed
// address is not recorded (people type passwords into the email field),
// nor is a client's network address.
func (at *attempt) entry(outcome, detail string) audit.Entry {
	who := at.user.Email
	if at.user.ID == 0 {
		who = "(unknown account)"
	}
	if at.action != "auth.invitation" {
		detail += " from " + at.address
	}
	return audit.Entry{Actor: who, Role: string(at.user.Role), Via: "web", Action: at.action, Outcome: outcome, Detail: detail}
}

// checkPassword runs the Argon2id check with at most a few at a time: each
// takes 19 MiB, and an unbounded number at once would exhaust the server's
// memory.
func (a *App) checkPassword(ctx context.Context, password, hash string) (bool, error) {
	select {
	case a.argon <- struct{}{}:
		defer func() { <-a.argon }()
	case <-time.After(2 * time.Second):
		return false, errBusy
	case <-ctx.Done():
		return false, ctx.Err()
	}
	if hash == "" {
		return account.SpendPasswordTime(password), nil
	}
	ok, _, err := account.VerifyPassword(password, hash)
	return ok && err == nil, nil
}
