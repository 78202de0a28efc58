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
