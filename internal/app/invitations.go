package app

import (
	"context"
	"slices"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/audit"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// Invitation lifetimes.
const (
	DefaultInvitationTTL = 7 * 24 * time.Hour
	MaxInvitationTTL     = 30 * 24 * time.Hour
)

// InviteClient makes an expiring invitation link for the case's client and
// returns it with its token, shown this once. Through it the client
// answers intake questions and uploads evidence for this case, and sees
// nothing else.
func (a *App) InviteClient(ctx context.Context, ref, language string, ttl time.Duration) (store.Invitation, string, error) {
	who, err := actor(ctx)
	if err != nil {
		return store.Invitation{}, "", err
	}
	if ttl == 0 {
		ttl = DefaultInvitationTTL
	}
	errs := map[string]string{}
	if !slices.Contains(account.Languages, language) {
		errs["language"] = "must be one of: ru, en, de"
	}
	if ttl < time.Hour || ttl > MaxInvitationTTL {
		errs["expires_in_days"] = "an invitation lives between 1 hour and 30 days"
	}
	if len(errs) > 0 {
		return store.Invitation{}, "", sanctuary.Invalid("the invitation cannot be made", errs)
	}
	token, hash := account.NewToken(account.PrefixInvitation)
	inv := store.Invitation{TokenHash: hash, Language: language, CreatedBy: who}
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		c, err := a.openCase(ctx, tx, ref, ActCaseInvite, "client invitation")
		if err != nil {
			return err
		}
		inv.CaseID, inv.ExpiresAt = c.ID, tx.Now().Add(ttl)
		if err := tx.InsertInvitation(ctx, &inv); err != nil {
			return err
		}
		return record(ctx, tx, c, who, casefile.EventClientInvited, casefile.EventDetail{InvitationID: inv.ID,
			Until: inv.ExpiresAt.Format(time.RFC3339)})
	})
	return inv, token, err
}

// Invitations lists the case's invitations.
func (a *App) Invitations(ctx context.Context, ref string) ([]store.Invitation, error) {
	var out []store.Invitation
	err := a.db.View(ctx, func(tx *store.Tx) error {
		c, err := a.openCase(ctx, tx, ref, ActCaseRead, "client invitations")
		if err != nil {
			return err
		}
		out, err = tx.Invitations(ctx, c.ID)
		return err
	})
	return out, err
}

// RevokeInvitation revokes an invitation and ends the sessions opened with
// it.
func (a *App) RevokeInvitation(ctx context.Context, ref string, id int64) error {
	who, err := actor(ctx)
	if err != nil {
		return err
	}
	return a.db.Update(ctx, func(tx *store.Tx) error {
		c, err := a.openCase(ctx, tx, ref, ActCaseInvite, "client invitation")
		if err != nil {
			return err
		}
		if err := tx.RevokeInvitation(ctx, c.ID, id); err != nil {
			return err
		}
		if err := tx.DeleteInvitationSessions(ctx, id); err != nil {
			return err
		}
		return record(ctx, tx, c, who, casefile.EventInviteRevoked, casefile.EventDetail{InvitationID: id})
	})
}

var errBadInvitation = &sanctuary.Error{Code: sanctuary.EUNAUTHORIZED,
	Message: "this invitation link is not valid: it may have expired or been withdrawn; ask your caseworker for a new one"}

// OpenInvitation signs a client in with their invitation link: a session
// for their case, ending with the invitation at the latest.
func (a *App) OpenInvitation(ctx context.Context, token, address string) (SignIn, error) {
	at, err := a.beginAttempt(ctx, account.User{}, address, "auth.invitation")
	if err != nil {
		return SignIn{}, errBadInvitation // paused: the same answer
	}
	var s SignIn
	err = a.db.Update(ctx, func(tx *store.Tx) (err error) {
		if !account.ValidToken(token, account.PrefixInvitation) {
			return errBadInvitation
		}
		inv, err := tx.InvitationByHash(ctx, account.HashToken(token))
		if err != nil || !inv.RevokedAt.IsZero() || !tx.Now().Before(inv.ExpiresAt) {
			return errBadInvitation
		}
		if err := tx.TouchInvitation(ctx, inv.ID); err != nil {
			return err
		}
		if err := at.succeed(ctx, tx); err != nil {
			return err
		}
		s, err = newSession(ctx, tx, 0, inv.ID, store.StageFull, minTime(inv.ExpiresAt, tx.Now().Add(SessionMax)))
		p := sanctuary.Principal{Role: sanctuary.RoleClient, CaseID: inv.CaseID, InvitationID: inv.ID, Via: "web"}
		tx.Audit(entry(p, "auth.invitation", audit.Allowed, "", "", "signed in with the invitation"))
		return err
	})
	if err == errBadInvitation {
		if err := a.fail(ctx, at); err != errSignIn {
			return SignIn{}, err
		}
	}
	return s, err
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// Link is the address of a path on this server, for links handed out
// (setup links, invitations): the public URL if one is set.
func (a *App) Link(path string) string {
	base := a.publicURL
	if base == "" {
		base = "http://localhost:8080"
	}
	return base + path
}
