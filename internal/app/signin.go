package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/audit"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// Session lifetimes.
const (
	// SessionIdle ends a session nobody used for this long.
	SessionIdle = 30 * time.Minute
	// SessionMax ends any session this long after sign-in.
	SessionMax = 12 * time.Hour
	// PendingTTL is how long a password stays good while the second
	// factor is awaited.
	PendingTTL = 10 * time.Minute
)

// SignIn is a session handed to a browser: the token for its cookie, the
// stage it is at, and its CSRF token.
type SignIn struct {
	Token string
	Stage string
	CSRF  string
}

// errSignIn is the one answer to every failed sign-in, so that it tells
// an attacker neither whether the account exists nor whether it is
// locked.
var errSignIn = &sanctuary.Error{Code: sanctuary.EUNAUTHORIZED,
	Message: "the email or password is wrong, or sign-in is paused after too many failures; try again later"}

// Login checks an email address and password from an address (IP) and
// opens a session that still needs the second factor (or, for an account
// without one, its enrolment).
func (a *App) Login(ctx context.Context, email, password, address string) (SignIn, error) {
	e, _ := account.NormalizeEmail(email)
	var u account.User
	var cred store.Credentials
	var limited bool
	err := a.db.View(ctx, func(tx *store.Tx) (err error) {
		if limited, err = addressLimited(ctx, tx, address); err != nil || limited {
			return err
		}
		if u, err = tx.UserByEmail(ctx, e); err != nil {
			return err
		}
		cred, err = tx.UserCredentials(ctx, u.ID)
		return err
	})
	if err != nil && sanctuary.ErrorCode(err) != sanctuary.ENOTFOUND {
		return SignIn{}, err
	}
	if limited || err != nil || !a.passwordOK(u, cred, password) {
		return SignIn{}, a.signInFailed(ctx, u, address, "auth.login", limited)
	}
	stage := store.StageSecondFactor
	if !u.TOTPEnrolled {
		stage = store.StageEnroll
	}
	// The failure count is not reset here but only when the second factor
	// passes (promote): someone who holds the password must not get fresh
	// guesses at the code with every sign-in.
	var s SignIn
	err = a.db.Update(ctx, func(tx *store.Tx) (err error) {
		s, err = newSession(ctx, tx, u.ID, 0, stage, tx.Now().Add(PendingTTL))
		tx.Audit(authEntry(u, "auth.login", audit.Allowed, "password accepted; "+stage))
		return err
	})
	return s, err
}

// passwordOK checks the password of an account that may sign in; for one
// that may not (or none) it spends the same time and says no.
func (a *App) passwordOK(u account.User, cred store.Credentials, password string) bool {
	if u.ID == 0 || cred.PasswordHash == "" || u.Status != account.StatusActive || a.db.Now().Before(u.LockedUntil) {
		return account.SpendPasswordTime(password)
	}
	ok, _, err := account.VerifyPassword(password, cred.PasswordHash)
	return ok && err == nil
}

// addressLimited reports whether an address has failed too often lately.
func addressLimited(ctx context.Context, tx *store.Tx, address string) (bool, error) {
	n, _, err := tx.LoginFailuresSince(ctx, address, tx.Now().Add(-account.AddressWindow))
	return n >= account.AddressFailures, err
}

// signInFailed counts a failure against the address and, if it exists,
// the account (locking it after too many), records it, and returns the
// one sign-in error.
func (a *App) signInFailed(ctx context.Context, u account.User, address, action string, limited bool) error {
	ctx = context.WithoutCancel(ctx)
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.AddLoginFailure(ctx, address); err != nil {
			return err
		}
		if err := tx.PruneLoginFailures(ctx, tx.Now().Add(-account.AddressWindow)); err != nil {
			return err
		}
		detail := "wrong credentials"
		if limited {
			detail = "address paused after too many failures"
		}
		if u.ID != 0 && !limited {
			n, err := tx.AddUserFailure(ctx, u.ID)
			if err != nil {
				return err
			}
			if lock := account.LockAfter(n, tx.Now()); !lock.IsZero() {
				if err := tx.SetUserFailures(ctx, u.ID, n, lock); err != nil {
					return err
				}
				detail = "account locked until " + lock.Format(time.RFC3339)
			}
		}
		// An unknown address is not recorded: people type passwords into
		// the email field.
		who := u.Email
		if u.ID == 0 {
			who = "(unknown account)"
		}
		tx.Audit(audit.Entry{Actor: who, Role: string(u.Role), Via: "web", Action: action,
			Outcome: audit.Denied, Detail: detail + " from " + address})
		return nil
	})
	if err != nil {
		return err
	}
	return errSignIn
}

func authEntry(u account.User, action, outcome, detail string) audit.Entry {
	return audit.Entry{Actor: u.Email, Role: string(u.Role), Via: "web", Action: action, Outcome: outcome, Detail: detail}
}

// newSession stores a session with a new random token and CSRF token.
func newSession(ctx context.Context, tx *store.Tx, userID, invitationID int64, stage string, expires time.Time) (SignIn, error) {
	token, hash := account.NewToken(account.PrefixSession)
	csrf := make([]byte, 32)
	rand.Read(csrf)
	s := store.Session{TokenHash: hash, UserID: userID, InvitationID: invitationID, Stage: stage,
		CSRFToken: hex.EncodeToString(csrf), ExpiresAt: expires}
	if err := tx.InsertSession(ctx, &s); err != nil {
		return SignIn{}, err
	}
	return SignIn{Token: token, Stage: stage, CSRF: s.CSRFToken}, nil
}
