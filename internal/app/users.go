package app

import (
	"context"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// SetupLinkTTL is how long an account's setup link is good for.
const SetupLinkTTL = 72 * time.Hour

// NewUser is what is needed to make a staff account.
type NewUser struct {
	Email    string         `json:"email"`
	Name     string         `json:"name"`
	Role     sanctuary.Role `json:"role"`
	Language string         `json:"language"`
}

// AddUser makes a staff account and returns it with the token of its
// one-time setup link, where the person sets a password and a second
// factor. There is no default password anywhere.
func (a *App) AddUser(ctx context.Context, n NewUser) (account.User, string, error) {
	who, err := actor(ctx)
	if err != nil {
		return account.User{}, "", err
	}
	if n.Language == "" {
		n.Language = "en"
	}
	u := account.User{Email: n.Email, Name: n.Name, Role: n.Role, Language: n.Language, Status: account.StatusPending, CreatedBy: who}
	if errs := u.Validate(); len(errs) > 0 {
		return u, "", sanctuary.Invalid("the account cannot be made", errs)
	}
	u.Email, _ = account.NormalizeEmail(u.Email)
	token, hash := account.NewToken(account.PrefixSetup)
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		if _, err := a.allow(ctx, tx, ActUserManage, "account "+u.Email+" added as "+string(u.Role)); err != nil {
			return err
		}
		if err := tx.InsertUser(ctx, &u); err != nil {
			return err
		}
		return tx.InsertSetupLink(ctx, hash, u.ID, who, tx.Now().Add(SetupLinkTTL))
	})
	return u, token, err
}

// Users lists every account.
func (a *App) Users(ctx context.Context) ([]account.User, error) {
	var users []account.User
	err := a.db.View(ctx, func(tx *store.Tx) (err error) {
		if _, err := a.allow(ctx, tx, ActUserManage, "accounts"); err != nil {
			return err
		}
		users, err = tx.Users(ctx)
		return err
	})
	return users, err
}

// DisableUser stops an account: it can no longer sign in, and its
// sessions and API tokens end now. The last active admin cannot be
// disabled.
func (a *App) DisableUser(ctx context.Context, email string) error {
	return a.manageUser(ctx, email, "disabled", func(tx *store.Tx, u account.User) error {
		if u.Role == sanctuary.RoleAdmin && u.Status == account.StatusActive {
			n, err := tx.CountActiveAdmins(ctx)
			if err != nil {
				return err
			}
			if n <= 1 {
				return sanctuary.Errorf(sanctuary.ECONFLICT, "%s is the last active admin; add another admin first", u.Email)
			}
		}
		if err := lastMemberOf(ctx, tx, u.Email, "disabled"); err != nil {
			return err
		}
		if err := tx.SetUserStatus(ctx, u.ID, account.StatusDisabled); err != nil {
			return err
		}
		return endAccess(ctx, tx, u.ID)
	})
}

// EnableUser lets a disabled account sign in again (or finish its setup,
// if it never did).
func (a *App) EnableUser(ctx context.Context, email string) error {
	return a.manageUser(ctx, email, "enabled", func(tx *store.Tx, u account.User) error {
		st := account.StatusPending
		if ok, err := tx.HasPassword(ctx, u.ID); err != nil {
			return err
		} else if ok && u.TOTPEnrolled {
			st = account.StatusActive
		}
		return tx.SetUserStatus(ctx, u.ID, st)
	})
}

// ResetUser clears an account's password, second factors and recovery
// codes — for a lost phone — ends its sessions and tokens, and returns a
// new setup link token.
func (a *App) ResetUser(ctx context.Context, email string) (string, error) {
	who, err := actor(ctx)
	if err != nil {
		return "", err
	}
	token, hash := account.NewToken(account.PrefixSetup)
	err = a.manageUser(ctx, email, "reset", func(tx *store.Tx, u account.User) error {
		if u.Status == account.StatusDisabled {
			return sanctuary.Errorf(sanctuary.ECONFLICT, "%s is disabled; enable it first if it is to be used again", u.Email)
		}
		if err := tx.ClearUserAuth(ctx, u.ID); err != nil {
			return err
		}
		if err := tx.SetUserStatus(ctx, u.ID, account.StatusPending); err != nil {
			return err
		}
		if err := endAccess(ctx, tx, u.ID); err != nil {
			return err
		}
		if err := tx.RetireSetupLinks(ctx, u.ID); err != nil {
			return err
		}
		if err := tellTeams(ctx, tx, u.Email, who); err != nil {
			return err
		}
		return tx.InsertSetupLink(ctx, hash, u.ID, who, tx.Now().Add(SetupLinkTTL))
	})
	return token, err
}

// tellTeams writes on the timeline of every case the account is on that it
// was reset: whoever holds the new setup link can sign in as that person,
// so the reset must not go unseen by the teams who work with them.
func tellTeams(ctx context.Context, tx *store.Tx, email, who string) error {
	cases, err := tx.CasesWithAssignee(ctx, email)
	if err != nil {
		return err
	}
	for _, c := range cases {
		if err := record(ctx, tx, c, who, casefile.EventMemberReset, casefile.EventDetail{Fields: []string{email}, Reason: who}); err != nil {
			return err
		}
	}
	return nil
}

func (a *App) manageUser(ctx context.Context, email, what string, fn func(*store.Tx, account.User) error) error {
	e, msg := account.NormalizeEmail(email)
	if msg != "" {
		return sanctuary.Invalid("no such account", map[string]string{"email": msg})
	}
	return a.db.Update(ctx, func(tx *store.Tx) error {
		if _, err := a.allow(ctx, tx, ActUserManage, "account "+e+" "+what); err != nil {
			return err
		}
		u, err := tx.UserByEmail(ctx, e)
		if err != nil {
			return err
		}
		return fn(tx, u)
	})
}

// endAccess ends every session, revokes every API token and retires every
// passkey link of an account.
func endAccess(ctx context.Context, tx *store.Tx, userID int64) error {
	if _, err := tx.DeleteUserSessions(ctx, userID); err != nil {
		return err
	}
	if err := tx.RetirePasskeyLinks(ctx, userID); err != nil {
		return err
	}
	return tx.RevokeUserAPITokens(ctx, userID)
}

// CommandLinePrincipal is who acts on the command line: the staff account
// with the email. The command line trusts the person at the server's
// shell — they hold the vault key and could read the database directly —
// so it asks no password; naming the account makes the same permissions
// and the same audit trail apply to them as on the web.
func (a *App) CommandLinePrincipal(ctx context.Context, email string) (sanctuary.Principal, error) {
	e, msg := account.NormalizeEmail(email)
	if msg != "" {
		return sanctuary.Principal{}, sanctuary.Invalid("who is acting is not an email address", map[string]string{"actor": msg})
	}
	var u account.User
	err := a.db.View(ctx, func(tx *store.Tx) (err error) { u, err = tx.UserByEmail(ctx, e); return err })
	if sanctuary.ErrorCode(err) == sanctuary.ENOTFOUND {
		return sanctuary.Principal{}, sanctuary.Errorf(sanctuary.EUNAUTHORIZED,
			"there is no staff account %s; an admin makes one with: sanctuary user add --role ROLE %s", e, e)
	}
	if err != nil {
		return sanctuary.Principal{}, err
	}
	if u.Status == account.StatusDisabled {
		return sanctuary.Principal{}, sanctuary.Errorf(sanctuary.EUNAUTHORIZED, "the account %s is disabled", e)
	}
	return sanctuary.Principal{Role: u.Role, UserID: u.ID, Email: u.Email, Via: "cli"}, nil
}
