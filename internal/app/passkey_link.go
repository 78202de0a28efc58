package app

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/protocol"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/audit"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// PasskeyLinkTTL is how long a passkey link is good for.
const PasskeyLinkTTL = 72 * time.Hour

// A passkey link is how an account whose role requires passkeys gets its
// first (or, after a loss, a new) passkey. Signing in with password and
// TOTP to register one would not do: that is exactly what a phishing site
// relays, and it would register its own passkey. The link comes from the
// operator over a channel of its own, like a setup link, and is good only
// with the account's password: a phisher holding the password and a code
// gets no passkey, and whoever intercepts the link alone gets nothing.

var errBadPasskeyLink = &sanctuary.Error{Code: sanctuary.ENOTFOUND,
	Message: "this passkey link is not valid: it may have been used or have expired; ask the operator for a new one"}

// IssuePasskeyLink makes a one-time link (PasskeyLinkTTL) with which the
// account's owner registers a passkey, and returns its token; an earlier
// unused link of the account stops working. It is in the audit trail.
func (a *App) IssuePasskeyLink(ctx context.Context, email string) (string, error) {
	who, err := actor(ctx)
	if err != nil {
		return "", err
	}
	token, hash := account.NewToken(account.PrefixPasskey)
	err = a.manageUser(ctx, email, "passkey link", func(tx *store.Tx, u account.User) error {
		switch u.Status {
		case account.StatusDisabled:
			return sanctuary.Errorf(sanctuary.ECONFLICT, "%s is disabled; enable it first if it is to be used again", u.Email)
		case account.StatusPending:
			return sanctuary.Errorf(sanctuary.ECONFLICT, "%s has not finished its setup; its setup link leads on to a passkey "+
				"where its role requires one (a lost setup link: sanctuary user reset %s)", u.Email, u.Email)
		}
		return tx.InsertPasskeyLink(ctx, hash, u.ID, who, tx.Now().Add(PasskeyLinkTTL))
	})
	return token, err
}

func validPasskeyLink(ctx context.Context, tx *store.Tx, token string) (account.User, error) {
	if !account.ValidToken(token, account.PrefixPasskey) {
		return account.User{}, errBadPasskeyLink
	}
	l, err := tx.PasskeyLinkByHash(ctx, account.HashToken(token))
	if sanctuary.ErrorCode(err) == sanctuary.ENOTFOUND || err == nil && (!l.UsedAt.IsZero() || !tx.Now().Before(l.ExpiresAt)) {
		return account.User{}, errBadPasskeyLink
	}
	if err != nil {
		return account.User{}, err
	}
	u, err := tx.UserByID(ctx, l.UserID)
	if err == nil && u.Status != account.StatusActive {
		return u, errBadPasskeyLink
	}
	return u, err
}

// PasskeyLinkAccount returns whose account a passkey link is for, for its
// page.
func (a *App) PasskeyLinkAccount(ctx context.Context, token string) (account.User, error) {
	var u account.User
	err := a.db.View(ctx, func(tx *store.Tx) (err error) { u, err = validPasskeyLink(ctx, tx, token); return err })
	return u, err
}

// OpenPasskeyLink checks a passkey link and the account's password, uses
// the link up and opens a session that can do nothing but register a
// passkey (for PendingTTL). A wrong password counts as at sign-in.
func (a *App) OpenPasskeyLink(ctx context.Context, token, password, address string) (SignIn, error) {
	var u account.User
	var cred store.Credentials
	err := a.db.View(ctx, func(tx *store.Tx) (err error) {
		if u, err = validPasskeyLink(ctx, tx, token); err != nil {
			return err
		}
		cred, err = tx.UserCredentials(ctx, u.ID)
		return err
	})
	if err != nil {
		return SignIn{}, err
	}
	at, err := a.beginAttempt(ctx, u, address, "auth.passkey_link")
	if err != nil {
		a.checkPassword(ctx, password, "") // refused: as slow as a wrong password
		return SignIn{}, err
	}
	ok, err := a.checkPassword(ctx, password, cred.PasswordHash)
	if err != nil {
		return SignIn{}, err
	}
	if !ok {
		return SignIn{}, a.fail(ctx, at)
	}
	var s SignIn
	err = a.db.Update(ctx, func(tx *store.Tx) (err error) {
		if _, err := validPasskeyLink(ctx, tx, token); err != nil { // not used meanwhile
			return err
		}
		if err := tx.UsePasskeyLink(ctx, account.HashToken(token)); err != nil {
			return err
		}
		if err := at.succeed(ctx, tx); err != nil {
			return err
		}
		s, err = newSession(ctx, tx, u.ID, 0, store.StagePasskeyEnroll, tx.Now().Add(PendingTTL))
		tx.Audit(authEntry(u, "auth.passkey_link", audit.Allowed, "passkey link and password accepted; may register a passkey"))
		return err
	})
	return s, err
}

// BeginPasskeyEnrolment starts registering a passkey in a session opened
// with a passkey link; it returns the options for
// navigator.credentials.create.
func (a *App) BeginPasskeyEnrolment(ctx context.Context, token string) ([]byte, error) {
	wa, err := a.webAuthn()
	if err != nil {
		return nil, err
	}
	var opts []byte
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		_, u, err := pendingSession(ctx, tx, token, store.StagePasskeyEnroll)
		if err != nil {
			return err
		}
		return a.beginRegistration(ctx, tx, wa, token, u, &opts)
	})
	return opts, err
}

// FinishPasskeyEnrolment checks the browser's answer, keeps the new
// passkey under the name and completes the sign-in: the session is
// replaced by a full one.
func (a *App) FinishPasskeyEnrolment(ctx context.Context, token, name string, response []byte) (SignIn, error) {
	wa, err := a.webAuthn()
	if err != nil {
		return SignIn{}, err
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return SignIn{}, sanctuary.Invalid("the passkey cannot be added", map[string]string{"name": "name the passkey in 1 to 100 bytes"})
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(response)
	if err != nil {
		return SignIn{}, errPasskey
	}
	var u account.User
	if err := a.db.View(ctx, func(tx *store.Tx) (err error) {
		_, u, err = pendingSession(ctx, tx, token, store.StagePasskeyEnroll)
		return err
	}); err != nil {
		return SignIn{}, err
	}
	at := &attempt{user: u, action: "auth.passkey_enroll"} // a ceremony, not a guess: nothing counted
	return a.promote(ctx, token, at, "passkey registered with a passkey link", func(tx *store.Tx) (bool, error) {
		sd, _, w, err := a.challengeOf(ctx, tx, token, u.ID)
		if err != nil {
			return false, errPasskey
		}
		cred, err := wa.CreateCredential(w, sd, parsed)
		if err != nil {
			return false, errPasskey
		}
		raw, err := json.Marshal(cred)
		if err != nil {
			return false, err
		}
		pk := store.Passkey{ID: cred.ID, UserID: u.ID, Name: name, Credential: raw}
		if err := tx.InsertPasskey(ctx, &pk); err != nil {
			return false, err
		}
		tx.Audit(authEntry(u, "auth.passkey_add", audit.Allowed, "passkey "+name+", with a passkey link"))
		return true, nil
	})
}
