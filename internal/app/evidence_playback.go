package app

import (
	"context"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// A browser shows a preview with many requests: a video player fetches
// its file in ranges, seeks, fetches again. The custody log must say what
// happened — one person looked at the item once — so a preview is one
// playback: StartPlayback issues a token for it, bound to the browser
// session, the person and the item, and OpenPlayback logs the view at the
// first request with the token and nothing at the later ones
// (docs/evidence.md, "Views and downloads").

// PlaybackTTL is how long a playback token works after it was issued
// (and never longer than its session).
const PlaybackTTL = 4 * time.Hour

// claimTimeout: a request that claimed a playback's view and has not
// logged it after this long is taken to have died; another may log it.
const claimTimeout = 30 * time.Second

var errPlayback = &sanctuary.Error{Code: sanctuary.EFORBIDDEN,
	Message: "this preview is not open in this session or has expired; open it again from the item's page"}

// StartPlayback issues a playback token for a preview of the item in the
// browser session whose token is session. Issuing logs nothing: only
// fetching the content does. The token is random, carries nothing, and
// only its hash is kept.
func (a *App) StartPlayback(ctx context.Context, session, ref string, id int64) (string, error) {
	p, err := staffPrincipal(ctx)
	if err != nil {
		return "", err
	}
	c, _, key, err := a.loadItem(ctx, ref, id, ActEvidenceOpen)
	if err != nil {
		return "", err
	}
	if key.Wrapped == nil {
		return "", sanctuary.Errorf(sanctuary.ECONFLICT, "the case's key was destroyed: its evidence can no longer be opened")
	}
	token, hash := account.NewToken(account.PrefixPlayback)
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		s, err := tx.SessionByHash(ctx, account.HashToken(session))
		if err != nil || s.UserID != p.UserID || s.Stage != store.StageFull {
			return errNoSession
		}
		return tx.InsertPlayback(ctx, &store.Playback{TokenHash: hash, SessionHash: s.TokenHash, Actor: p.Actor(),
			CaseID: c.ID, EvidenceID: id, ExpiresAt: tx.Now().Add(PlaybackTTL)})
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// OpenPlayback opens an item for a preview with its playback token, in
// the browser session whose token is session. The first request with a
// token logs the view (also when several come at once: one logs it, the
// others wait for it); later ones log nothing. A token of another
// session, person or item, or an expired one, is refused (EFORBIDDEN).
func (a *App) OpenPlayback(ctx context.Context, session, ref string, id int64, token string) (*EvidenceFile, error) {
	u, err := a.unlockItem(ctx, ref, id)
	if err != nil {
		return nil, err
	}
	pb, err := a.playback(ctx, session, token, u)
	if err != nil {
		return nil, err
	}
	if err := a.logView(ctx, u, pb); err != nil {
		return nil, err
	}
	return u.open()
}

// playback returns the playback of the token if it is this session's,
// this person's and this item's, and alive.
func (a *App) playback(ctx context.Context, session, token string, u unlocked) (store.Playback, error) {
	if !account.ValidToken(token, account.PrefixPlayback) || !account.ValidToken(session, account.PrefixSession) {
		return store.Playback{}, errPlayback
	}
	var pb store.Playback
	err := a.db.View(ctx, func(tx *store.Tx) (err error) {
		pb, err = tx.PlaybackByHash(ctx, account.HashToken(token))
		return err
	})
	switch {
	case sanctuary.ErrorCode(err) == sanctuary.ENOTFOUND:
		return pb, errPlayback
	case err != nil:
		return pb, err
	case pb.SessionHash != account.HashToken(session) || pb.Actor != u.who || pb.CaseID != u.c.ID ||
		pb.EvidenceID != u.it.ID || !a.db.Now().Before(pb.ExpiresAt):
		return pb, errPlayback
	}
	return pb, nil
}

// logView logs the playback's view unless it is logged already. The
// request that claims it logs it, marking it logged in the same
// transaction as the event's record; one that finds it being logged waits
// until it is, so that no content goes out before its view is in the log.
func (a *App) logView(ctx context.Context, u unlocked, pb store.Playback) error {
	for wait := time.Duration(0); pb.State != store.PlaybackLogged; wait = 20 * time.Millisecond {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		var claimed bool
		err := a.db.Update(ctx, func(tx *store.Tx) (err error) {
			if claimed, err = tx.ClaimPlayback(ctx, pb.TokenHash, tx.Now().Add(-claimTimeout)); err != nil || claimed {
				return err
			}
			pb, err = tx.PlaybackByHash(ctx, pb.TokenHash)
			return err
		})
		if err != nil {
			return err
		}
		if claimed {
			return a.logClaimedView(ctx, u, pb.TokenHash)
		}
	}
	return nil
}

// logClaimedView logs the view of a playback this request claimed; if
// that fails, the playback is new again, for the next request to log.
func (a *App) logClaimedView(ctx context.Context, u unlocked, hash string) error {
	err := a.logItemEvent(ctx, u.ev, u.c, u.key.Tag, &u.it, custody.View, u.who, "", func(tx *store.Tx) error {
		return tx.SetPlaybackState(ctx, hash, store.PlaybackLogged)
	})
	if err != nil {
		ctx := context.WithoutCancel(ctx)
		if uerr := a.db.Update(ctx, func(tx *store.Tx) error { return tx.SetPlaybackState(ctx, hash, store.PlaybackNew) }); uerr != nil {
			a.log.Warn("a playback stays claimed until its claim times out", "err", uerr)
		}
	}
	return err
}
