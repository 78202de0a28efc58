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

// AddLoginFailure records a failed sign-in from an address.
func (tx *Tx) AddLoginFailure(ctx context.Context, address string) error {
	if _, err := tx.exec(ctx, `INSERT INTO login_failures (address, at) VALUES (?, ?)`, address, tx.timeArg()); err != nil {
		return fmt.Errorf("store: record login failure: %w", err)
	}
	return nil
}

// LoginFailuresSince counts an address's failed sign-ins since a time and
// returns the oldest of them.
func (tx *Tx) LoginFailuresSince(ctx context.Context, address string, since time.Time) (int, time.Time, error) {
	var n int
	var oldest time.Time
	err := tx.queryRow(ctx, `SELECT COUNT(*), MIN(at) FROM login_failures WHERE address = ? AND at >= ?`,
		address, tx.timeValue(since)).Scan(&n, timeCol{&oldest})
	if err != nil {
		return 0, oldest, fmt.Errorf("store: count login failures: %w", err)
	}
	return n, oldest, nil
}

// PruneLoginFailures forgets failures older than a time.
func (tx *Tx) PruneLoginFailures(ctx context.Context, before time.Time) error {
	if _, err := tx.exec(ctx, `DELETE FROM login_failures WHERE at < ?`, tx.timeValue(before)); err != nil {
		return fmt.Errorf("store: prune login failures: %w", err)
	}
	return nil
}
