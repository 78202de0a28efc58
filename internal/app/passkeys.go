package app

import (
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/audit"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// WithPublicURL says where browsers reach this server (such as
// https://sanctuary.ngo.example): passkeys are bound to its host name.
func WithPublicURL(u string) Option {
	return func(a *App) { a.publicURL = strings.TrimSuffix(u, "/") }
}

// SetPublicURL changes the public URL; call it before serving (serve
// learns its port only once it listens).
func (a *App) SetPublicURL(u string) { WithPublicURL(u)(a) }

// webAuthn is the relying party for passkeys, for the public URL.
func (a *App) webAuthn() (*webauthn.WebAuthn, error) {
	u, err := url.Parse(a.publicURL)
	if err != nil || u.Hostname() == "" {
		return nil, sanctuary.Errorf(sanctuary.EUNAVAILABLE, "passkeys need the server's public URL (--public-url)")
	}
	w, err := webauthn.New(&webauthn.Config{RPID: u.Hostname(), RPDisplayName: "Sanctuary",
		RPOrigins: []string{u.Scheme + "://" + u.Host}})
	if err != nil {
		return nil, sanctuary.Errorf(sanctuary.EUNAVAILABLE, "passkeys cannot be used with the public URL %s: %v (a host name such as localhost is needed, not an IP address)", a.publicURL, err)
	}
	return w, nil
}

// waUser adapts an account to the library.
type waUser struct {
	u     account.User
	creds []webauthn.Credential
}

func (w waUser) WebAuthnID() []byte {
	return binary.BigEndian.AppendUint64([]byte("sanctuary-user:"), uint64(w.u.ID))
}
func (w waUser) WebAuthnName() string                       { return w.u.Email }
func (w waUser) WebAuthnDisplayName() string                { return cmp.Or(w.u.Name, w.u.Email) }
func (w waUser) WebAuthnCredentials() []webauthn.Credential { return w.creds }

func loadWAUser(ctx context.Context, tx *store.Tx, u account.User) (waUser, error) {
	keys, err := tx.Passkeys(ctx, u.ID)
	if err != nil {
		return waUser{}, err
	}
	w := waUser{u: u}
	for _, k := range keys {
		var c webauthn.Credential
		if err := json.Unmarshal(k.Credential, &c); err != nil {
			return w, fmt.Errorf("app: passkey of account %d: %w", u.ID, err)
		}
		w.creds = append(w.creds, c)
	}
	return w, nil
}

// BeginPasskeyRegistration starts adding a passkey to the acting staff
// member's account, in the browser session with the token; it returns the
// options for navigator.credentials.create.
func (a *App) BeginPasskeyRegistration(ctx context.Context, token string) ([]byte, error) {
	wa, err := a.webAuthn()
	if err != nil {
		return nil, err
	}
	p, err := principal(ctx)
	if err != nil || p.UserID == 0 {
		return nil, errNoSession
	}
	var opts []byte
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByID(ctx, p.UserID)
		if err != nil {
			return err
		}
		return a.beginRegistration(ctx, tx, wa, token, u, &opts)
	})
	return opts, err
}

// beginRegistration starts adding a passkey to the account in the
// session with the token; the account's passkeys are excluded, so that an
// authenticator is not registered twice.
func (a *App) beginRegistration(ctx context.Context, tx *store.Tx, wa *webauthn.WebAuthn, token string, u account.User, opts *[]byte) error {
	w, err := loadWAUser(ctx, tx, u)
	if err != nil {
		return err
	}
	var excl []protocol.CredentialDescriptor
	for _, c := range w.creds {
		excl = append(excl, c.Descriptor())
	}
	creation, sd, err := wa.BeginRegistration(w, webauthn.WithExclusions(excl))
	if err != nil {
		return err
	}
	return a.keepChallenge(ctx, tx, token, creation, sd, opts)
}

func (a *App) keepChallenge(ctx context.Context, tx *store.Tx, token string, options any, sd *webauthn.SessionData, out *[]byte) error {
	challenge, err := json.Marshal(sd)
	if err != nil {
		return err
	}
	if err := tx.SetSessionChallenge(ctx, account.HashToken(token), challenge); err != nil {
		return err
	}
	*out, err = json.Marshal(options)
	return err
}

var errPasskey = &sanctuary.Error{Code: sanctuary.EUNAUTHORIZED, Message: "the passkey was not accepted; try again"}

// FinishPasskeyRegistration checks the browser's answer and keeps the new
// passkey under the name.
func (a *App) FinishPasskeyRegistration(ctx context.Context, token, name string, response []byte) (store.Passkey, error) {
	wa, err := a.webAuthn()
	if err != nil {
		return store.Passkey{}, err
	}
	p, err := principal(ctx)
	if err != nil || p.UserID == 0 {
		return store.Passkey{}, errNoSession
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return store.Passkey{}, sanctuary.Invalid("the passkey cannot be added", map[string]string{"name": "name the passkey in 1 to 100 bytes"})
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(response)
	if err != nil {
		return store.Passkey{}, errPasskey
	}
	var pk store.Passkey
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		s, u, w, err := a.challengeOf(ctx, tx, token, p.UserID)
		if err != nil {
			return err
		}
		cred, err := wa.CreateCredential(w, s, parsed)
		if err != nil {
			return errPasskey
		}
		raw, err := json.Marshal(cred)
		if err != nil {
			return err
		}
		pk = store.Passkey{ID: cred.ID, UserID: u.ID, Name: name, Credential: raw}
		if err := tx.InsertPasskey(ctx, &pk); err != nil {
			return err
		}
		tx.Audit(authEntry(u, "auth.passkey_add", audit.Allowed, "passkey "+name))
		return tx.SetSessionChallenge(ctx, account.HashToken(token), nil)
	})
	return pk, err
}

// challengeOf reads the pending ceremony of a session that belongs to the
// account.
func (a *App) challengeOf(ctx context.Context, tx *store.Tx, token string, userID int64) (webauthn.SessionData, account.User, waUser, error) {
	var sd webauthn.SessionData
	s, err := tx.SessionByHash(ctx, account.HashToken(token))
	if err != nil || s.UserID != userID || len(s.Challenge) == 0 {
		return sd, account.User{}, waUser{}, errPasskey
	}
	if err := json.Unmarshal(s.Challenge, &sd); err != nil {
		return sd, account.User{}, waUser{}, errPasskey
	}
	u, err := tx.UserByID(ctx, userID)
	if err != nil {
		return sd, u, waUser{}, err
	}
	w, err := loadWAUser(ctx, tx, u)
	return sd, u, w, err
}

// BeginPasskeyLogin starts the second factor with a passkey for a sign-in
// that passed the password; it returns the options for
// navigator.credentials.get.
func (a *App) BeginPasskeyLogin(ctx context.Context, token string) ([]byte, error) {
	wa, err := a.webAuthn()
	if err != nil {
		return nil, err
	}
	var opts []byte
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		_, u, err := pendingSession(ctx, tx, token, store.StageSecondFactor)
		if err != nil {
			return err
		}
		w, err := loadWAUser(ctx, tx, u)
		if err != nil {
			return err
		}
		if len(w.creds) == 0 {
			if only, err := tx.PasskeyRequired(ctx, u.Role); err != nil || only {
				return cmpErr(err, errNoPasskeyYet)
			}
			return sanctuary.Errorf(sanctuary.ECONFLICT, "this account has no passkey; use the code from the app")
		}
		assertion, sd, err := wa.BeginLogin(w)
		if err != nil {
			return err
		}
		return a.keepChallenge(ctx, tx, token, assertion, sd, &opts)
	})
	return opts, err
}

// FinishPasskeyLogin completes a sign-in with the browser's passkey
// answer. A passkey whose signature counter went backwards (a cloned
// authenticator) is refused.
func (a *App) FinishPasskeyLogin(ctx context.Context, token string, response []byte, address string) (SignIn, error) {
	wa, err := a.webAuthn()
	if err != nil {
		return SignIn{}, err
	}
	var u account.User
	if err := a.db.View(ctx, func(tx *store.Tx) (err error) {
		_, u, err = pendingSession(ctx, tx, token, store.StageSecondFactor)
		return err
	}); err != nil {
		return SignIn{}, err
	}
	at, err := a.beginAttempt(ctx, u, address, "auth.passkey")
	if err != nil {
		return SignIn{}, err
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(response)
	if err != nil {
		return SignIn{}, a.fail(ctx, at)
	}
	return a.promote(ctx, token, at, "passkey", func(tx *store.Tx) (bool, error) {
		sd, _, w, err := a.challengeOf(ctx, tx, token, u.ID)
		if err != nil {
			return false, nil
		}
		cred, err := wa.ValidateLogin(w, sd, parsed)
		if err != nil || cred.Authenticator.CloneWarning {
			return false, nil
		}
		raw, err := json.Marshal(cred)
		if err != nil {
			return false, err
		}
		return true, tx.UpdatePasskey(ctx, u.ID, cred.ID, raw)
	})
}

// Passkeys lists the acting staff member's passkeys.
func (a *App) Passkeys(ctx context.Context) ([]store.Passkey, error) {
	p, err := staffPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	var out []store.Passkey
	err = a.db.View(ctx, func(tx *store.Tx) (err error) { out, err = tx.Passkeys(ctx, p.UserID); return err })
	return out, err
}

// DeletePasskey removes one of the acting staff member's passkeys.
func (a *App) DeletePasskey(ctx context.Context, id []byte) error {
	p, err := staffPrincipal(ctx)
	if err != nil {
		return err
	}
	return a.db.Update(ctx, func(tx *store.Tx) error {
		if err := keepsAPasskey(ctx, tx, p); err != nil {
			return err
		}
		ok, err := tx.DeletePasskey(ctx, p.UserID, id)
		if err == nil && !ok {
			err = sanctuary.Errorf(sanctuary.ENOTFOUND, "no such passkey")
		}
		tx.Audit(entry(p, "auth.passkey_remove", audit.Allowed, "", "passkey", ""))
		return err
	})
}

// errNoPasskeyYet answers an account whose role signs in with a passkey
// only and that has none.
var errNoPasskeyYet = &sanctuary.Error{Code: sanctuary.ECONFLICT,
	Message: "your role signs in with a passkey only, and this account has none yet: ask the operator for a passkey link"}

// keepsAPasskey refuses to remove the last passkey of an account whose
// role signs in with a passkey only: it could not sign in afterwards.
func keepsAPasskey(ctx context.Context, tx *store.Tx, p sanctuary.Principal) error {
	only, err := tx.PasskeyRequired(ctx, p.Role)
	if err != nil || !only {
		return err
	}
	keys, err := tx.Passkeys(ctx, p.UserID)
	if err != nil {
		return err
	}
	if len(keys) <= 1 {
		return sanctuary.Errorf(sanctuary.ECONFLICT, "your role signs in with a passkey only: add another passkey before you remove this one")
	}
	return nil
}
