package app

import (
	"context"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/audit"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// Pending is a session that has passed the password and awaits the
// second factor (or its enrolment).
type Pending struct {
	User     account.User
	Stage    string
	Passkeys int
	// PasskeyOnly: the account's role signs in with a passkey only.
	PasskeyOnly bool
}

var errNoPending = &sanctuary.Error{Code: sanctuary.EUNAUTHORIZED, Message: "sign in again: this sign-in has expired"}

// pendingSession reads a session at one of the stages before full, with
// its account, refusing expired ones and accounts that may not sign in.
func pendingSession(ctx context.Context, tx *store.Tx, token string, stages ...string) (store.Session, account.User, error) {
	if !account.ValidToken(token, account.PrefixSession) {
		return store.Session{}, account.User{}, errNoPending
	}
	s, err := tx.SessionByHash(ctx, account.HashToken(token))
	if err != nil {
		return s, account.User{}, errNoPending
	}
	ok := false
	for _, st := range stages {
		ok = ok || s.Stage == st
	}
	if !ok || s.UserID == 0 || !tx.Now().Before(s.ExpiresAt) {
		return s, account.User{}, errNoPending
	}
	u, err := tx.UserByID(ctx, s.UserID)
	if err != nil || u.Status != account.StatusActive {
		return s, u, errNoPending
	}
	return s, u, nil
}

// PendingSignIn describes a sign-in awaiting its second factor, for the
// page that asks for it.
func (a *App) PendingSignIn(ctx context.Context, token string) (Pending, error) {
	var p Pending
	err := a.db.View(ctx, func(tx *store.Tx) error {
		s, u, err := pendingSession(ctx, tx, token, store.StageSecondFactor, store.StageEnroll, store.StagePasskeyEnroll)
		if err != nil {
			return err
		}
		keys, err := tx.Passkeys(ctx, u.ID)
		if err != nil {
			return err
		}
		p = Pending{User: u, Stage: s.Stage, Passkeys: len(keys)}
		p.PasskeyOnly, err = tx.PasskeyRequired(ctx, u.Role)
		return err
	})
	return p, err
}

// VerifyTOTP completes a sign-in with a code from the authenticator app.
// A code is good once; wrong codes count like wrong passwords.
func (a *App) VerifyTOTP(ctx context.Context, token, code, address string) (SignIn, error) {
	var u account.User
	var cred store.Credentials
	err := a.db.View(ctx, func(tx *store.Tx) (err error) {
		if _, u, err = pendingSession(ctx, tx, token, store.StageSecondFactor); err != nil {
			return err
		}
		cred, err = tx.UserCredentials(ctx, u.ID)
		return err
	})
	if err != nil {
		return SignIn{}, err
	}
	if err := a.passkeyOnly(ctx, u, "auth.totp"); err != nil {
		return SignIn{}, err
	}
	at, err := a.beginAttempt(ctx, u, address, "auth.totp")
	if err != nil {
		return SignIn{}, err
	}
	step, ok := account.CheckTOTP(cred.TOTPSecret, code, a.db.Now(), cred.TOTPLastStep)
	if !ok {
		return SignIn{}, a.fail(ctx, at)
	}
	return a.promote(ctx, token, at, "TOTP code", func(tx *store.Tx) (bool, error) { return tx.AdvanceTOTPStep(ctx, u.ID, step) })
}

// UseRecoveryCode completes a sign-in with one of the account's recovery
// codes, which is used up; it returns how many are left.
func (a *App) UseRecoveryCode(ctx context.Context, token, code, address string) (SignIn, int, error) {
	var u account.User
	if err := a.db.View(ctx, func(tx *store.Tx) (err error) {
		_, u, err = pendingSession(ctx, tx, token, store.StageSecondFactor)
		return err
	}); err != nil {
		return SignIn{}, 0, err
	}
	if err := a.passkeyOnly(ctx, u, "auth.recovery_code"); err != nil {
		return SignIn{}, 0, err
	}
	at, err := a.beginAttempt(ctx, u, address, "auth.recovery_code")
	if err != nil {
		return SignIn{}, 0, err
	}
	var left int
	s, err := a.promote(ctx, token, at, "recovery code", func(tx *store.Tx) (bool, error) {
		ok, err := tx.UseRecoveryCode(ctx, u.ID, code)
		if ok {
			left, err = tx.RecoveryCodesLeft(ctx, u.ID)
		}
		return ok, err
	})
	return s, left, err
}

var errFactor = &sanctuary.Error{Code: sanctuary.EUNAUTHORIZED, Message: "the code is wrong or was used already"}

// promote replaces a pending session by a full one — a new token, so a
// token seen before sign-in is worth nothing after — once check, run in
// the same transaction, accepts the second factor. The pending session is
// used up exactly once. A refused factor is a failed attempt.
func (a *App) promote(ctx context.Context, token string, at *attempt, factor string, check func(*store.Tx) (bool, error)) (SignIn, error) {
	u := at.user
	var s SignIn
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		old, _, err := pendingSession(ctx, tx, token, store.StageSecondFactor, store.StageEnroll, store.StagePasskeyEnroll)
		if err != nil {
			return err
		}
		ok, err := check(tx)
		if err != nil {
			return err
		}
		if !ok {
			return errFactor
		}
		if n, err := tx.DeleteSession(ctx, old.TokenHash); err != nil || n != 1 {
			return cmpErr(err, errNoPending) // someone else promoted it first
		}
		if err := tx.SetUserFailures(ctx, u.ID, 0, time.Time{}); err != nil {
			return err
		}
		if err := at.succeed(ctx, tx); err != nil {
			return err
		}
		s, err = newSession(ctx, tx, u.ID, 0, store.StageFull, tx.Now().Add(SessionMax))
		tx.Audit(authEntry(u, "auth.second_factor", audit.Allowed, factor+" accepted; signed in"))
		return err
	})
	if err == errFactor {
		return s, a.fail(ctx, at)
	}
	return s, err
}

func cmpErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// EnrollTOTP sets up the second factor of an account that signed in
// without one (after a reset), completing the sign-in; it returns new
// recovery codes to show once.
func (a *App) EnrollTOTP(ctx context.Context, token, secret, code string) (SignIn, []string, error) {
	var u account.User
	if err := a.db.View(ctx, func(tx *store.Tx) (err error) {
		_, u, err = pendingSession(ctx, tx, token, store.StageEnroll)
		return err
	}); err != nil {
		return SignIn{}, nil, err
	}
	if err := a.passkeyOnly(ctx, u, "auth.enroll"); err != nil {
		return SignIn{}, nil, err
	}
	step, ok := account.CheckTOTP(secret, code, a.db.Now(), 0)
	if !ok || !account.ValidTOTPSecret(secret) {
		return SignIn{}, nil, sanctuary.Invalid("the second factor cannot be set up",
			map[string]string{"code": "this is not the code the app shows now"})
	}
	codes := account.NewRecoveryCodes()
	at := &attempt{user: u, action: "auth.enroll"} // the person chose the secret: nothing to guess, nothing counted
	s, err := a.promote(ctx, token, at, "TOTP enrolled", func(tx *store.Tx) (bool, error) {
		if err := tx.SetTOTP(ctx, u.ID, secret); err != nil {
			return false, err
		}
		if err := tx.ReplaceRecoveryCodes(ctx, u.ID, codes); err != nil {
			return false, err
		}
		return tx.AdvanceTOTPStep(ctx, u.ID, step)
	})
	return s, codes, err
}
