package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/sanctuary-platform/sanctuary"
)

// Session stages.
const (
	StageSecondFactor = "second_factor" // password given, second factor awaited
	StageEnroll       = "enroll"        // must set up a second factor before anything else
	// StagePasskeyEnroll: opened with a passkey link and the password;
	// can do nothing but register a passkey.
	StagePasskeyEnroll = "passkey_enroll"
	StageFull          = "full"
)

// Session is a browser session of a staff account (UserID) or of a
// client's invitation (InvitationID). It is found by the hash of its
// token; the token itself lives only in the browser's cookie.
type Session struct {
	TokenHash    string
	UserID       int64
	InvitationID int64
	Stage        string
	CSRFToken    string
	// Challenge holds a pending WebAuthn ceremony (JSON).
	Challenge  []byte
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// InsertSession stores a new session.
func (tx *Tx) InsertSession(ctx context.Context, s *Session) error {
	s.CreatedAt, s.LastSeenAt = tx.now, tx.now
	_, err := tx.exec(ctx, `INSERT INTO sessions (token_hash, user_id, invitation_id, stage, csrf_token, created_at, last_seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, s.TokenHash, nullID(s.UserID), nullID(s.InvitationID), s.Stage, s.CSRFToken,
		tx.timeArg(), tx.timeArg(), tx.timeValue(s.ExpiresAt))
	if err != nil {
		return fmt.Errorf("store: insert session: %w", err)
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

const sessionColumns = `token_hash, user_id, invitation_id, stage, csrf_token, challenge, created_at, last_seen_at, expires_at`

func scanSession(row scanner) (Session, error) {
	var s Session
	var uid, inv sql.NullInt64
	err := row.Scan(&s.TokenHash, &uid, &inv, &s.Stage, &s.CSRFToken, &s.Challenge,
		timeCol{&s.CreatedAt}, timeCol{&s.LastSeenAt}, timeCol{&s.ExpiresAt})
	s.UserID, s.InvitationID = uid.Int64, inv.Int64
	return s, err
}

// SessionByHash returns the session, or ENOTFOUND.
func (tx *Tx) SessionByHash(ctx context.Context, hash string) (Session, error) {
	s, err := scanSession(tx.queryRow(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE token_hash = ?`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return s, sanctuary.Errorf(sanctuary.EUNAUTHORIZED, "not signed in")
	}
	if err != nil {
		return s, fmt.Errorf("store: read session: %w", err)
	}
	return s, nil
}

// UserSessions lists an account's sessions, newest first.
func (tx *Tx) UserSessions(ctx context.Context, userID int64) ([]Session, error) {
	return queryAll(ctx, tx, "list sessions", `SELECT `+sessionColumns+` FROM sessions WHERE user_id = ? ORDER BY created_at DESC`,
		[]any{userID}, scanSession)
}

// TouchSession records activity on the session now.
func (tx *Tx) TouchSession(ctx context.Context, hash string) error {
	_, err := tx.exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`, tx.timeArg(), hash)
	if err != nil {
		return fmt.Errorf("store: touch session: %w", err)
	}
	return nil
}

// SetSessionChallenge stores (or clears, with nil) a pending WebAuthn
// ceremony.
func (tx *Tx) SetSessionChallenge(ctx context.Context, hash string, challenge []byte) error {
	_, err := tx.exec(ctx, `UPDATE sessions SET challenge = ? WHERE token_hash = ?`, challenge, hash)
	if err != nil {
		return fmt.Errorf("store: session challenge: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of an account and returns how
// many there were.
func (tx *Tx) DeleteUserSessions(ctx context.Context, userID int64) (int64, error) {
	res, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
	if err != nil {
		return 0, fmt.Errorf("store: delete sessions: %w", err)
	}
	return res.RowsAffected()
}

// DeleteInvitationSessions ends every session opened with an invitation.
func (tx *Tx) DeleteInvitationSessions(ctx context.Context, invitationID int64) error {
	if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE invitation_id = ?`, invitationID); err != nil {
		return fmt.Errorf("store: delete sessions: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions past their absolute expiry or
// idle since before idleBefore.
func (tx *Tx) DeleteExpiredSessions(ctx context.Context, idleBefore time.Time) (int64, error) {
	res, err := tx.exec(ctx, `DELETE FROM sessions WHERE expires_at < ? OR last_seen_at < ?`, tx.timeArg(), tx.timeValue(idleBefore))
	if err != nil {
		return 0, fmt.Errorf("store: delete expired sessions: %w", err)
	}
	return res.RowsAffected()
}

// DeleteSession ends one session and reports how many it ended (0 if
// another request ended it first).
func (tx *Tx) DeleteSession(ctx context.Context, hash string) (int64, error) {
	res, err := tx.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hash)
	if err != nil {
		return 0, fmt.Errorf("store: delete session: %w", err)
	}
	return res.RowsAffected()
}
