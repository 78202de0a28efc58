package app

import (
	"context"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/audit"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// An admin (or the operator) can require passkeys of a role. A TOTP code
// or a recovery code can be typed into a phishing site that relays it;
// a passkey answers only the site it was made for. For an account of such
// a role, only a passkey completes a sign-in; an account that has none
// gets one through a passkey link from the operator (passkey_link.go),
// never by signing in with the factors a phisher could have relayed.

// PasskeyPolicy is which roles must sign in with a passkey, and the
// accounts of those roles that have none yet (they need a passkey link).
type PasskeyPolicy struct {
	Required []sanctuary.Role `json:"required"`
	Missing  []account.User   `json:"missing"`
}

// errPasskeyOnly is the refusal of a TOTP or recovery code for an account
// whose role signs in with a passkey only.
var errPasskeyOnly = &sanctuary.Error{Code: sanctuary.EFORBIDDEN,
	Message: "your role signs in with a passkey only: use your passkey. No passkey, or lost it? " +
		"Ask the operator for a passkey link (sanctuary user passkey-link); codes no longer sign you in"}

// PasskeyPolicy returns the sign-in policy, to an admin or the operator.
func (a *App) PasskeyPolicy(ctx context.Context) (PasskeyPolicy, error) {
	var pol PasskeyPolicy
	err := a.db.View(ctx, func(tx *store.Tx) (err error) {
		if _, err := a.allow(ctx, tx, ActUserManage, "sign-in policy"); err != nil {
			return err
		}
		pol, err = readPasskeyPolicy(ctx, tx)
		return err
	})
	return pol, err
}

func readPasskeyPolicy(ctx context.Context, tx *store.Tx) (PasskeyPolicy, error) {
	var pol PasskeyPolicy
	var err error
	if pol.Required, err = tx.PasskeyRoles(ctx); err != nil {
		return pol, err
	}
	pol.Missing, err = tx.UsersWithoutPasskey(ctx)
	return pol, err
}

// RequirePasskeys requires passkeys of the role's accounts, or (required
// false) lets them sign in with TOTP and recovery codes again. The change
// is in the audit trail. Passkeys cannot be required of admins unless an
// active admin — and the admin making the change — has one: otherwise no
// admin could sign in.
func (a *App) RequirePasskeys(ctx context.Context, role sanctuary.Role, required bool) (PasskeyPolicy, error) {
	if !role.Staff() {
		return PasskeyPolicy{}, sanctuary.Invalid("the sign-in policy cannot be changed", map[string]string{
			"role": "must be one of admin, lawyer, caseworker, knowledge_editor, auditor"})
	}
	what := "passkeys no longer required for " + string(role)
	if required {
		what = "passkeys required for " + string(role)
	}
	var pol PasskeyPolicy
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		p, err := a.allow(ctx, tx, ActUserManage, "sign-in policy: "+what)
		if err != nil {
			return err
		}
		if required && role == sanctuary.RoleAdmin {
			if err := adminsKeepSignIn(ctx, tx, p); err != nil {
				tx.Audit(entry(p, ActUserManage, audit.Denied, "", "sign-in policy: "+what, sanctuary.AsError(err).Message))
				return err
			}
		}
		if _, err := tx.SetPasskeyRequired(ctx, role, required, p.Actor()); err != nil {
			return err
		}
		pol, err = readPasskeyPolicy(ctx, tx)
		return err
	})
	return pol, err
}

// adminsKeepSignIn refuses to require passkeys of admins when that would
// lock out the admin asking, or every admin.
func adminsKeepSignIn(ctx context.Context, tx *store.Tx, p sanctuary.Principal) error {
	if p.Role == sanctuary.RoleAdmin {
		keys, err := tx.Passkeys(ctx, p.UserID)
		if err != nil {
			return err
		}
		if len(keys) == 0 {
			return sanctuary.Errorf(sanctuary.ECONFLICT, "add a passkey to your own account first (on the account page): "+
				"once admins must sign in with a passkey, you could not sign in without one")
		}
	}
	n, err := tx.CountActiveAdminsWithPasskey(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		return sanctuary.Errorf(sanctuary.ECONFLICT, "no active admin has a passkey: requiring one of admins would leave "+
			"no admin able to sign in; an admin adds a passkey on the account page first")
	}
	return nil
}

// passkeyOnly refuses a code (TOTP or recovery) as the second factor of
// an account whose role signs in with a passkey only, recording the
// refusal; it returns nil for any other account.
func (a *App) passkeyOnly(ctx context.Context, u account.User, action string) error {
	var only bool
	// A read: the refusal's entry is written after it, in its own transaction.
	err := a.db.View(context.WithoutCancel(ctx), func(tx *store.Tx) (err error) {
		if only, err = tx.PasskeyRequired(ctx, u.Role); err != nil || !only {
			return err
		}
		tx.Audit(authEntry(u, action, audit.Denied, "the role "+string(u.Role)+" signs in with a passkey only"))
		return nil
	})
	if err == nil && only {
		return errPasskeyOnly
	}
	return err
}
