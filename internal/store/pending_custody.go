package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/sanctuary-platform/sanctuary"
)

// PendingCustodyEvent is an event about a case as a whole that must reach
// the custody log: its deed (a shred) is committed, its entry may not be.
type PendingCustodyEvent struct {
	ID     int64
	Origin string
	CaseID int64
	Type   string
	Event  []byte
}

// InsertPendingCustodyEvent records an event to append, in the deed's
// transaction, and sets its ID.
func (tx *Tx) InsertPendingCustodyEvent(ctx context.Context, p *PendingCustodyEvent) error {
	if p.Origin == "" {
		return errors.New("store: a custody event needs its log's origin")
	}
	err := tx.queryRow(ctx, `INSERT INTO pending_custody_events (origin, case_id, type, event, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		p.Origin, p.CaseID, p.Type, p.Event, tx.timeArg()).Scan(&p.ID)
	if err != nil {
		return fmt.Errorf("store: record a pending custody event: %w", err)
	}
	return nil
}

// LockPendingCustodyEvent holds a pending event for the transaction, so
// that no other process appends it too; it returns ENOTFOUND if another
// already did and removed it.
func (tx *Tx) LockPendingCustodyEvent(ctx context.Context, id int64) error {
	var got int64
	err := tx.queryRow(ctx, `SELECT id FROM pending_custody_events WHERE id = ?`+tx.db.dialect.forUpdate, id).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return sanctuary.Errorf(sanctuary.ENOTFOUND, "the pending custody event is gone")
	}
	if err != nil {
		return fmt.Errorf("store: lock a pending custody event: %w", err)
	}
	return nil
}

// ClaimPendingCustodyEvents returns the pending events of the log, held
// for the transaction; on PostgreSQL those another process holds are
// passed over (SQLite's write transaction holds them all).
func (tx *Tx) ClaimPendingCustodyEvents(ctx context.Context, origin string) ([]PendingCustodyEvent, error) {
	rows, err := tx.query(ctx, `SELECT id, origin, case_id, type, event FROM pending_custody_events WHERE origin = ? ORDER BY id`+
		tx.db.dialect.skipLocked, origin)
	if err != nil {
		return nil, fmt.Errorf("store: pending custody events: %w", err)
	}
	defer rows.Close()
	var out []PendingCustodyEvent
	for rows.Next() {
		var p PendingCustodyEvent
		if err := rows.Scan(&p.ID, &p.Origin, &p.CaseID, &p.Type, &p.Event); err != nil {
			return nil, fmt.Errorf("store: pending custody events: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// DeletePendingCustodyEvent removes an event once it is in the log and
// recorded.
func (tx *Tx) DeletePendingCustodyEvent(ctx context.Context, id int64) error {
	if _, err := tx.exec(ctx, `DELETE FROM pending_custody_events WHERE id = ?`, id); err != nil {
		return fmt.Errorf("store: delete a pending custody event: %w", err)
	}
	return nil
}
