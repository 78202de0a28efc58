package store

import (
	"context"
	"fmt"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// AppendEvent adds e to the case's timeline and sets its ID and time.
func (tx *Tx) AppendEvent(ctx context.Context, caseID int64, e *casefile.Event) error {
	detail, err := tx.seal(caseID, e.Detail)
	if err != nil {
		return err
	}
	e.At = tx.now
	err = tx.queryRow(ctx, `INSERT INTO timeline (case_id, at, actor, kind, detail)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, caseID, tx.timeArg(), e.Actor, e.Kind, detail).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("store: append event: %w", err)
	}
	return nil
}

// Timeline returns the case's events with an ID above afterID, oldest
// first, at most limit of them (all if limit <= 0).
func (tx *Tx) Timeline(ctx context.Context, caseID, afterID int64, limit int) ([]casefile.Event, error) {
	q := `SELECT id, at, actor, kind, detail FROM timeline WHERE case_id = ? AND id > ? ORDER BY id`
	args := []any{caseID, afterID}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: query timeline: %w", err)
	}
	defer rows.Close()
	events := []casefile.Event{}
	for rows.Next() {
		var e casefile.Event
		var detail []byte
		if err := rows.Scan(&e.ID, timeCol{&e.At}, &e.Actor, &e.Kind, &detail); err != nil {
			return nil, fmt.Errorf("store: scan event: %w", err)
		}
		if err := tx.open(caseID, detail, &e.Detail); err != nil {
			return nil, err
		}
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: query timeline: %w", err)
	}
	return events, nil
}
