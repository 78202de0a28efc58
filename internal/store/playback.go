package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/sanctuary-platform/sanctuary"
)

// The states of a playback.
const (
	PlaybackNew     = "new"     // issued, its view not logged yet
	PlaybackLogging = "logging" // a request is logging its view
	PlaybackLogged  = "logged"
)

// Playback is a playback token of a browser session: the right to fetch
// one item's content for a preview, whose first fetch is logged as a view.
// It is found by the hash of its token.
type Playback struct {
	TokenHash   string
	SessionHash string
	Actor       string
	CaseID      int64
	EvidenceID  int64
	State       string
	ClaimedAt   time.Time
	CreatedAt   time.Time
	ExpiresAt   time.Time
}

// InsertPlayback stores a new playback token.
func (tx *Tx) InsertPlayback(ctx context.Context, p *Playback) error {
	p.CreatedAt, p.State = tx.now, PlaybackNew
	_, err := tx.exec(ctx, `INSERT INTO playbacks (token_hash, session_hash, actor, case_id, evidence_id, state, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, p.TokenHash, p.SessionHash, p.Actor, p.CaseID, p.EvidenceID, p.State,
		tx.timeArg(), tx.timeValue(p.ExpiresAt))
	if err != nil {
		return fmt.Errorf("store: insert playback: %w", err)
	}
	return nil
}

// PlaybackByHash returns the playback, or ENOTFOUND.
func (tx *Tx) PlaybackByHash(ctx context.Context, hash string) (Playback, error) {
	var p Playback
	err := tx.queryRow(ctx, `SELECT token_hash, session_hash, actor, case_id, evidence_id, state, claimed_at, created_at, expires_at
		FROM playbacks WHERE token_hash = ?`, hash).Scan(&p.TokenHash, &p.SessionHash, &p.Actor, &p.CaseID, &p.EvidenceID,
		&p.State, timeCol{&p.ClaimedAt}, timeCol{&p.CreatedAt}, timeCol{&p.ExpiresAt})
	if errors.Is(err, sql.ErrNoRows) {
		return p, sanctuary.Errorf(sanctuary.ENOTFOUND, "no such playback")
	}
	if err != nil {
		return p, fmt.Errorf("store: read playback: %w", err)
	}
	return p, nil
}

// ClaimPlayback makes the playback's view this request's to log: it
// reports true if the playback was new, or claimed by a request before
// staleBefore that never finished (a crash). Of requests that claim at
// once, one gets true.
func (tx *Tx) ClaimPlayback(ctx context.Context, hash string, staleBefore time.Time) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE playbacks SET state = ?, claimed_at = ?
		WHERE token_hash = ? AND (state = ? OR (state = ? AND claimed_at < ?))`,
		PlaybackLogging, tx.timeArg(), hash, PlaybackNew, PlaybackLogging, tx.timeValue(staleBefore))
	if err != nil {
		return false, fmt.Errorf("store: claim playback: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// SetPlaybackState records that the playback's view was logged, or, back
// to new, that logging it failed.
func (tx *Tx) SetPlaybackState(ctx context.Context, hash, state string) error {
	if _, err := tx.exec(ctx, `UPDATE playbacks SET state = ? WHERE token_hash = ?`, state, hash); err != nil {
		return fmt.Errorf("store: set playback state: %w", err)
	}
	return nil
}

// DeleteExpiredPlaybacks forgets the playbacks past their expiry.
func (tx *Tx) DeleteExpiredPlaybacks(ctx context.Context) error {
	if _, err := tx.exec(ctx, `DELETE FROM playbacks WHERE expires_at < ?`, tx.timeArg()); err != nil {
		return fmt.Errorf("store: delete expired playbacks: %w", err)
	}
	return nil
}
