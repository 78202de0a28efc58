package app

import (
	"context"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/audit"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

var errNoSession = &sanctuary.Error{Code: sanctuary.EUNAUTHORIZED, Message: "sign in first"}

// touchEvery is how often a session's last activity is written: not on
// every request.
const touchEvery = time.Minute

// Authenticate returns who a browser session belongs to and its CSRF
// token. A session idle for SessionIdle, older than its maximum age, of a
// disabled account or of a revoked or expired invitation is ended.
func (a *App) Authenticate(ctx context.Context, token string) (sanctuary.Principal, string, error) {
	if !account.ValidToken(token, account.PrefixSession) {
		return sanctuary.Principal{}, "", errNoSession
	}
	var p sanctuary.Principal
	var s store.Session
	var live bool
	err := a.db.View(ctx, func(tx *store.Tx) (err error) {
		if s, err = tx.SessionByHash(ctx, account.HashToken(token)); err != nil {
			return errNoSession
		}
		p, live, err = sessionPrincipal(ctx, tx, s)
		return err
	})
	if err != nil {
		return p, "", err
	}
	now := a.db.Now()
	if !live || s.Stage != store.StageFull || !now.Before(s.ExpiresAt) || now.Sub(s.LastSeenAt) > SessionIdle {
		if live && s.Stage == store.StageFull {
			a.endSession(ctx, s.TokenHash) // idle or too old: gone for good
		}
		return sanctuary.Principal{}, "", errNoSession
	}
	if now.Sub(s.LastSeenAt) > touchEvery {
		if err := a.db.Update(ctx, func(tx *store.Tx) error { return tx.TouchSession(ctx, s.TokenHash) }); err != nil {
			return p, "", err
		}
	}
	return p, s.CSRFToken, nil
}

// sessionPrincipal builds the principal of a session; live is false when
// its account or invitation may no longer be used.
func sessionPrincipal(ctx context.Context, tx *store.Tx, s store.Session) (sanctuary.Principal, bool, error) {
	if s.InvitationID != 0 {
		inv, err := tx.InvitationByID(ctx, s.InvitationID)
		if err != nil {
			return sanctuary.Principal{}, false, err
		}
		live := inv.RevokedAt.IsZero() && tx.Now().Before(inv.ExpiresAt)
		return sanctuary.Principal{Role: sanctuary.RoleClient, CaseID: inv.CaseID, InvitationID: inv.ID, Via: "web",
			Language: inv.Language}, live, nil
	}
	u, err := tx.UserByID(ctx, s.UserID)
	if err != nil {
		return sanctuary.Principal{}, false, err
	}
	return sanctuary.Principal{Role: u.Role, UserID: u.ID, Email: u.Email, Via: "web", Language: u.Language},
		u.Status == account.StatusActive, nil
}

func (a *App) endSession(ctx context.Context, hash string) {
	ctx = context.WithoutCancel(ctx)
	if err := a.db.Update(ctx, func(tx *store.Tx) error { _, err := tx.DeleteSession(ctx, hash); return err }); err != nil {
		a.log.Warn("ending an expired session failed", "err", err)
	}
}

// Logout ends the session with the token.
func (a *App) Logout(ctx context.Context, token string) error {
	if !account.ValidToken(token, account.PrefixSession) {
		return nil
	}
	return a.db.Update(ctx, func(tx *store.Tx) error {
		if p, ok := sanctuary.PrincipalFrom(ctx); ok {
			tx.Audit(entry(p, "auth.logout", audit.Allowed, "", "", ""))
		}
		_, err := tx.DeleteSession(ctx, account.HashToken(token))
		return err
	})
}

// LogoutEverywhere ends every session of the acting staff member, on every
// device, and returns how many there were; with alsoTokens it revokes
// every API token of the account too (a lost laptop may hold them).
func (a *App) LogoutEverywhere(ctx context.Context, alsoTokens bool) (int64, error) {
	p, err := staffPrincipal(ctx)
	if err != nil {
		return 0, err
	}
	var n int64
	err = a.db.Update(ctx, func(tx *store.Tx) (err error) {
		detail := ""
		if alsoTokens {
			if _, err := a.allow(ctx, tx, ActTokenManage, "API tokens"); err != nil {
				return err
			}
			if err := tx.RevokeUserAPITokens(ctx, p.UserID); err != nil {
				return err
			}
			detail = "and every API token revoked"
		}
		n, err = tx.DeleteUserSessions(ctx, p.UserID)
		tx.Audit(entry(p, "auth.logout_everywhere", audit.Allowed, "", "", detail))
		return err
	})
	return n, err
}

// SessionView is one of a staff member's sessions, for their account page.
type SessionView struct {
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	Stage      string    `json:"stage"`
	Current    bool      `json:"current"`
}

// Sessions lists the acting staff member's sessions; current marks the
// one with the token.
func (a *App) Sessions(ctx context.Context, token string) ([]SessionView, error) {
	p, err := staffPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	var out []SessionView
	err = a.db.View(ctx, func(tx *store.Tx) error {
		ss, err := tx.UserSessions(ctx, p.UserID)
		for _, s := range ss {
			out = append(out, SessionView{CreatedAt: s.CreatedAt, LastSeenAt: s.LastSeenAt, ExpiresAt: s.ExpiresAt,
				Stage: s.Stage, Current: s.TokenHash == account.HashToken(token)})
		}
		return err
	})
	return out, err
}

// DeleteExpiredSessions forgets sessions past their maximum age or idle
// for longer than SessionIdle (with their playback tokens), expired
// playback tokens, and old sign-in failures.
func (a *App) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	var n int64
	err := a.db.Update(ctx, func(tx *store.Tx) (err error) {
		if n, err = tx.DeleteExpiredSessions(ctx, tx.Now().Add(-SessionIdle)); err != nil {
			return err
		}
		if err := tx.DeleteExpiredPlaybacks(ctx); err != nil {
			return err
		}
		return tx.PruneLoginFailures(ctx, tx.Now().Add(-account.AddressWindow))
	})
	return n, err
}
