package store

import (
	"context"
	"fmt"
	"time"
)

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
