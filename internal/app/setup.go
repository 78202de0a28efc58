package app

import (
	"context"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/audit"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// Setup is what the setup page shows: whose account it is, and a fresh
// TOTP secret to enrol.
type Setup struct {
	Email string          `json:"email"`
	Name  string          `json:"name"`
	Role  sanctuary.Role  `json:"role"`
	TOTP  account.TOTPKey `json:"totp"`
}

// BeginSetup checks a setup link and makes a TOTP secret for the page.
func (a *App) BeginSetup(ctx context.Context, token string) (Setup, error) {
	var s Setup
	err := a.db.View(ctx, func(tx *store.Tx) error {
		u, err := validSetupLink(ctx, tx, token)
		if err != nil {
			return err
		}
		s.Email, s.Name, s.Role = u.Email, u.Name, u.Role
		return nil
	})
	if err != nil {
		return s, err
	}
	s.TOTP, err = account.NewTOTP(s.Email)
	return s, err
}

var errBadLink = &sanctuary.Error{Code: sanctuary.ENOTFOUND,
	Message: "this setup link is not valid: it may have been used or have expired; ask an admin for a new one"}

func validSetupLink(ctx context.Context, tx *store.Tx, token string) (account.User, error) {
	if !account.ValidToken(token, account.PrefixSetup) {
		return account.User{}, errBadLink
	}
	l, err := tx.SetupLinkByHash(ctx, account.HashToken(token))
	if sanctuary.ErrorCode(err) == sanctuary.ENOTFOUND || err == nil && (!l.UsedAt.IsZero() || !tx.Now().Before(l.ExpiresAt)) {
		return account.User{}, errBadLink
	}
	if err != nil {
		return account.User{}, err
	}
	u, err := tx.UserByID(ctx, l.UserID)
	if err == nil && u.Status == account.StatusDisabled {
		return u, errBadLink
	}
	return u, err
}

// CompleteSetup is FinishSetup for callers that need only the recovery
// codes.
func (a *App) CompleteSetup(ctx context.Context, token, password, totpSecret, code string) ([]string, error) {
	done, err := a.FinishSetup(ctx, token, password, totpSecret, code)
	return done.Codes, err
}

// SetupDone is what a completed setup hands the person: the recovery
// codes to show once and, where the account's role signs in with a
// passkey only, the token of a passkey link to register one next (the
// setup link was the operator's channel; the passkey link continues it).
type SetupDone struct {
	Codes       []string
	PasskeyLink string
}

// FinishSetup sets the account's password and second factor — the TOTP
// secret shown by BeginSetup, confirmed by a code from the app — and uses
// up the link.
func (a *App) FinishSetup(ctx context.Context, token, password, totpSecret, code string) (SetupDone, error) {
	var u account.User
	if err := a.db.View(ctx, func(tx *store.Tx) (err error) { u, err = validSetupLink(ctx, tx, token); return err }); err != nil {
		return SetupDone{}, err
	}
	errs := map[string]string{}
	if msg := account.CheckPassword(password, u.Email); msg != "" {
		errs["password"] = msg
	}
	step, ok := account.CheckTOTP(totpSecret, code, a.db.Now(), 0)
	if !account.ValidTOTPSecret(totpSecret) {
		errs["code"] = "the key on this page was changed; reload the page and scan the code again"
	} else if !ok {
		errs["code"] = "this is not the code the app shows now; check the phone's clock and try the next one"
	}
	if len(errs) > 0 {
		return SetupDone{}, sanctuary.Invalid("the account cannot be set up", errs)
	}
	hash, err := account.HashPassword(password)
	if err != nil {
		return SetupDone{}, err
	}
	done := SetupDone{Codes: account.NewRecoveryCodes()}
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		if _, err := validSetupLink(ctx, tx, token); err != nil { // not used meanwhile
			return err
		}
		if err := setUpAccount(ctx, tx, u, token, hash, totpSecret, step, done.Codes); err != nil {
			return err
		}
		var err error
		done.PasskeyLink, err = passkeyLinkAfterSetup(ctx, tx, u)
		return err
	})
	if err != nil {
		return SetupDone{}, err
	}
	return done, nil
}

// passkeyLinkAfterSetup makes a passkey link for an account just set up
// whose role signs in with a passkey only, and returns its token ("" for
// other accounts).
func passkeyLinkAfterSetup(ctx context.Context, tx *store.Tx, u account.User) (string, error) {
	only, err := tx.PasskeyRequired(ctx, u.Role)
	if err != nil || !only {
		return "", err
	}
	token, hash := account.NewToken(account.PrefixPasskey)
	return token, tx.InsertPasskeyLink(ctx, hash, u.ID, "setup link", tx.Now().Add(PasskeyLinkTTL))
}

func setUpAccount(ctx context.Context, tx *store.Tx, u account.User, token, hash, secret string, step int64, codes []string) error {
	if err := tx.UseSetupLink(ctx, account.HashToken(token)); err != nil {
		return err
	}
	if err := tx.SetPassword(ctx, u.ID, hash); err != nil {
		return err
	}
	if err := tx.SetTOTP(ctx, u.ID, secret); err != nil {
		return err
	}
	if err := tx.SetTOTPLastStep(ctx, u.ID, step); err != nil {
		return err
	}
	if err := tx.ReplaceRecoveryCodes(ctx, u.ID, codes); err != nil {
		return err
	}
	if err := tx.SetUserStatus(ctx, u.ID, account.StatusActive); err != nil {
		return err
	}
	tx.Audit(audit.Entry{Actor: u.Email, Role: string(u.Role), Via: "web", Action: "auth.setup", Outcome: audit.Allowed,
		Object: "account " + u.Email, Detail: "password and TOTP set"})
	return nil
}
