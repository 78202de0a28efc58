package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/audit"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// API token lifetimes.
const (
	DefaultTokenTTL = 30 * 24 * time.Hour
	MaxTokenTTL     = 365 * 24 * time.Hour
)

// NewAPIToken is a request for a token.
type NewAPIToken struct {
	Name   string        `json:"name"`
	Scopes []string      `json:"scopes"`
	TTL    time.Duration `json:"-"`
}

// CreateAPIToken makes a token for the acting staff member, limited to the
// scopes, and returns it; the token itself is shown this once and kept
// only as a hash. A token cannot make tokens.
func (a *App) CreateAPIToken(ctx context.Context, n NewAPIToken) (store.APIToken, string, error) {
	p, err := principal(ctx)
	if err != nil {
		return store.APIToken{}, "", err
	}
	if p.UserID == 0 || p.TokenID != 0 {
		return store.APIToken{}, "", sanctuary.Errorf(sanctuary.EFORBIDDEN, "API tokens are made by a signed-in staff member, not with another token")
	}
	if n.TTL == 0 {
		n.TTL = DefaultTokenTTL
	}
	if errs := n.valid(p.Role); len(errs) > 0 {
		return store.APIToken{}, "", sanctuary.Invalid("the API token cannot be made", errs)
	}
	token, hash := account.NewToken(account.PrefixAPIToken)
	t := store.APIToken{UserID: p.UserID, Name: strings.TrimSpace(n.Name), TokenHash: hash, Scopes: n.Scopes}
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		if u, err := tx.UserByID(ctx, p.UserID); err != nil {
			return err
		} else if u.Status != account.StatusActive {
			return sanctuary.Errorf(sanctuary.EFORBIDDEN, "the account %s must finish its setup (password and second factor) before it can have API tokens", u.Email)
		}
		t.ExpiresAt = tx.Now().Add(n.TTL)
		if err := tx.InsertAPIToken(ctx, &t); err != nil {
			return err
		}
		tx.Audit(entry(p, "auth.token_create", audit.Allowed, "", "API token "+t.Name, strings.Join(t.Scopes, " ")))
		return nil
	})
	return t, token, err
}

func (n NewAPIToken) valid(r sanctuary.Role) map[string]string {
	errs := map[string]string{}
	if name := strings.TrimSpace(n.Name); name == "" || len(name) > 100 || strings.ContainsFunc(name, func(c rune) bool { return c < 0x20 }) {
		errs["name"] = "name the token (what uses it) in at most 100 bytes"
	}
	if len(n.Scopes) == 0 {
		errs["scopes"] = "give at least one scope: " + strings.Join(Scopes(), ", ")
	}
	for _, s := range n.Scopes {
		if !slices.Contains(Scopes(), s) {
			errs["scopes"] = "unknown scope " + s + "; the scopes are: " + strings.Join(Scopes(), ", ")
		} else if !roleUsesScope(r, s) {
			errs["scopes"] = "the role " + string(r) + " can do nothing with " + s
		}
	}
	if n.TTL < time.Hour || n.TTL > MaxTokenTTL {
		errs["expires_in_days"] = "a token lives between 1 hour and 365 days"
	}
	return errs
}

// roleUsesScope reports whether any action the role may do needs the
// scope.
func roleUsesScope(r sanctuary.Role, scope string) bool {
	for _, ru := range policy {
		if ru.scope == scope && slices.Contains(ru.roles, r) {
			return true
		}
	}
	return false
}

// APITokens lists the acting staff member's tokens: signed in, on the
// command line, or with a token that has the tokens scope.
func (a *App) APITokens(ctx context.Context) ([]store.APIToken, error) {
	p, err := staffPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	var out []store.APIToken
	err = a.db.View(ctx, func(tx *store.Tx) (err error) {
		if _, err := a.allow(ctx, tx, ActTokenManage, "API tokens"); err != nil {
			return err
		}
		out, err = tx.APITokens(ctx, p.UserID)
		return err
	})
	return out, err
}

// RevokeAPIToken revokes one of the acting staff member's tokens, as
// APITokens lists them.
func (a *App) RevokeAPIToken(ctx context.Context, id int64) error {
	p, err := staffPrincipal(ctx)
	if err != nil {
		return err
	}
	return a.db.Update(ctx, func(tx *store.Tx) error {
		if _, err := a.allow(ctx, tx, ActTokenManage, "API token"); err != nil {
			return err
		}
		tx.Audit(entry(p, "auth.token_revoke", audit.Allowed, "", "API token", ""))
		return tx.RevokeAPIToken(ctx, p.UserID, id)
	})
}

var errBadToken = &sanctuary.Error{Code: sanctuary.EUNAUTHORIZED, Message: "the API token is not valid, expired or was revoked"}

// AuthenticateAPIToken returns the principal an API token acts for: its
// staff member, limited to its scopes. It records the token's use at most
// once a minute.
func (a *App) AuthenticateAPIToken(ctx context.Context, token string) (sanctuary.Principal, error) {
	if !account.ValidToken(token, account.PrefixAPIToken) {
		return sanctuary.Principal{}, errBadToken
	}
	var t store.APIToken
	var u account.User
	err := a.db.View(ctx, func(tx *store.Tx) (err error) {
		if t, err = tx.APITokenByHash(ctx, account.HashToken(token)); err != nil {
			return errBadToken
		}
		u, err = tx.UserByID(ctx, t.UserID)
		return err
	})
	now := a.db.Now()
	if err != nil || !t.RevokedAt.IsZero() || !now.Before(t.ExpiresAt) || u.Status != account.StatusActive {
		return sanctuary.Principal{}, errBadToken
	}
	if now.Sub(t.LastUsedAt) > touchEvery {
		if err := a.db.Update(ctx, func(tx *store.Tx) error { return tx.TouchAPIToken(ctx, t.ID) }); err != nil {
			return sanctuary.Principal{}, err
		}
	}
	return sanctuary.Principal{Role: u.Role, UserID: u.ID, Email: u.Email, Via: "api", Scopes: t.Scopes, TokenID: t.ID}, nil
}

// ScopesFor lists the scopes a role can use, for the token form.
func ScopesFor(r sanctuary.Role) []string {
	var out []string
	for _, s := range Scopes() {
		if roleUsesScope(r, s) {
			out = append(out, s)
		}
	}
	return out
}
