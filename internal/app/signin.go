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
// without one, its enrolment). The attempt is counted before the password
// is checked.
func (a *App) Login(ctx context.Context, email, password, address string) (SignIn, error) {
	e, _ := account.NormalizeEmail(email)
	var u account.User
	var cred store.Credentials
	err := a.db.View(ctx, func(tx *store.Tx) (err error) {
		if u, err = tx.UserByEmail(ctx, e); err != nil {
			return err
		}
		cred, err = tx.UserCredentials(ctx, u.ID)
		return err
	})
	if err != nil && sanctuary.ErrorCode(err) != sanctuary.ENOTFOUND {
		return SignIn{}, err
	}
	if u.Status != account.StatusActive { // unknown, pending or disabled: no password to check
		u, cred = account.User{}, store.Credentials{}
	}
	at, err := a.beginAttempt(ctx, u, address, "auth.login")
	if err != nil {
		a.checkPassword(ctx, password, "") // refused: as slow as a wrong password
		return SignIn{}, err
	}
	ok, err := a.checkPassword(ctx, password, cred.PasswordHash)
	if err != nil {
		return SignIn{}, err
	}
	if !ok || u.ID == 0 {
		return SignIn{}, a.fail(ctx, at)
	}
	stage := store.StageSecondFactor
	if !u.TOTPEnrolled {
		stage = store.StageEnroll
	}
	// The account's count is not cleared here but only when the second
	// factor passes (promote): someone who holds the password must not get
	// fresh guesses at the code with every sign-in. A lock this attempt's
	// count set is lifted, though: the password was right.
	var s SignIn
	err = a.db.Update(ctx, func(tx *store.Tx) (err error) {
		if err := at.succeed(ctx, tx); err != nil {
			return err
		}
		if !at.locked.IsZero() {
			if err := tx.ClearUserLock(ctx, u.ID); err != nil {
				return err
			}
		}
		s, err = newSession(ctx, tx, u.ID, 0, stage, tx.Now().Add(PendingTTL))
		tx.Audit(authEntry(u, "auth.login", audit.Allowed, "password accepted; "+stage))
		return err
	})
	return s, err
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
