package store

import (
	"context"
	"fmt"
	"time"
)

// InsertBreakGlass records an admin's time-limited access to a case, with
// the reason sealed with the case's data key, and returns its ID.
func (tx *Tx) InsertBreakGlass(ctx context.Context, userID, caseID int64, reason string, expires time.Time) (int64, error) {
	sealed, err := tx.sealBytes(ctx, caseID, []byte(reason))
	if err != nil {
		return 0, err
	}
	var id int64
	err = tx.queryRow(ctx, `INSERT INTO break_glass (user_id, case_id, reason, granted_at, expires_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, userID, caseID, sealed, tx.timeArg(), tx.timeValue(expires)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: insert break-glass: %w", err)
	}
	return id, nil
}

// BreakGlassActive reports whether the account holds a break-glass access
// to the case that has not expired.
func (tx *Tx) BreakGlassActive(ctx context.Context, userID, caseID int64) (bool, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM break_glass WHERE user_id = ? AND case_id = ? AND expires_at > ?`,
		userID, caseID, tx.timeArg()).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: read break-glass: %w", err)
	}
	return n > 0, nil
}

// ReserveAddress counts a sign-in attempt from an address before it is
// checked, forgets attempts older than since, and returns how many the
// address made since then, this one included. A success releases it
// (ReleaseAddress); a failure stays counted.
func (tx *Tx) ReserveAddress(ctx context.Context, address string, since time.Time) (int, error) {
	if _, err := tx.exec(ctx, `DELETE FROM login_failures WHERE at < ?`, tx.timeValue(since)); err != nil {
		return 0, fmt.Errorf("store: forget old sign-in attempts: %w", err)
	}
	if _, err := tx.exec(ctx, `INSERT INTO login_failures (address, at) VALUES (?, ?)`, address, tx.timeArg()); err != nil {
		return 0, fmt.Errorf("store: count a sign-in attempt: %w", err)
	}
	var n int
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM login_failures WHERE address = ? AND at >= ?`, address, tx.timeValue(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count sign-in attempts: %w", err)
	}
	return n, nil
}

// ReleaseAddress takes back an attempt reserved at a time: it succeeded.
func (tx *Tx) ReleaseAddress(ctx context.Context, address string, at time.Time) error {
	if _, err := tx.exec(ctx, `DELETE FROM login_failures WHERE address = ? AND at = ?`, address, tx.timeValue(at)); err != nil {
		return fmt.Errorf("store: release a sign-in attempt: %w", err)
	}
	return nil
}

// PruneLoginFailures forgets failures older than a time.
func (tx *Tx) PruneLoginFailures(ctx context.Context, before time.Time) error {
	if _, err := tx.exec(ctx, `DELETE FROM login_failures WHERE at < ?`, tx.timeValue(before)); err != nil {
		return fmt.Errorf("store: prune login failures: %w", err)
	}
	return nil
}
