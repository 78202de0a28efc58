package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// AppendEvent adds e to the case's timeline and sets its ID and time.
// Once the case's key is destroyed, events are still recorded (a shredded
// case can be closed), without their details.
func (tx *Tx) AppendEvent(ctx context.Context, caseID int64, e *casefile.Event) error {
	if len(e.Detail) == 0 {
		e.Detail = []byte("{}")
	}
	detail, err := tx.sealBytes(ctx, caseID, e.Detail)
	switch {
	case errors.Is(err, ErrKeyDestroyed):
		detail, e.Detail = []byte{}, []byte("{}")
	case err != nil:
		return fmt.Errorf("store: seal event: %w", err)
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
	if err := tx.loadKeys(ctx, []int64{caseID}); err != nil {
		return nil, err
	}
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: query timeline: %w", err)
	}
	return tx.scanEvents(ctx, caseID, rows)
}

func (tx *Tx) scanEvents(ctx context.Context, caseID int64, rows *sql.Rows) ([]casefile.Event, error) {
	defer rows.Close()
	events := []casefile.Event{}
	for rows.Next() {
		var e casefile.Event
		var detail []byte
		err := rows.Scan(&e.ID, timeCol{&e.At}, &e.Actor, &e.Kind, &detail)
		if err != nil {
			return nil, fmt.Errorf("store: scan event: %w", err)
		}
		if e.Detail, err = tx.openDetail(ctx, caseID, detail); err != nil {
			return nil, fmt.Errorf("store: open event %d of case %d: %w", e.ID, caseID, err)
		}
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: query timeline: %w", err)
	}
	return events, nil
}

// LatestEvents returns the case's n most recent events, oldest first, and
// whether older ones exist.
func (tx *Tx) LatestEvents(ctx context.Context, caseID int64, n int) ([]casefile.Event, bool, error) {
	if err := tx.loadKeys(ctx, []int64{caseID}); err != nil {
		return nil, false, err
	}
	rows, err := tx.query(ctx, `SELECT id, at, actor, kind, detail FROM timeline
		WHERE case_id = ? ORDER BY id DESC LIMIT ?`, caseID, n+1)
	if err != nil {
		return nil, false, fmt.Errorf("store: query timeline: %w", err)
	}
	events, err := tx.scanEvents(ctx, caseID, rows)
	if err != nil {
		return nil, false, err
	}
	more := len(events) > n
	if more {
		events = events[:n]
	}
	slices.Reverse(events)
	return events, more, nil
}

// openDetail opens an event's detail. Once the case's key is destroyed the
// details of its events are gone, and read as {}; the events themselves
// (who did what when) stay.
func (tx *Tx) openDetail(ctx context.Context, caseID int64, sealed []byte) ([]byte, error) {
	if len(sealed) == 0 {
		return []byte("{}"), nil
	}
	b, err := tx.openBytes(ctx, caseID, sealed)
	if errors.Is(err, ErrKeyDestroyed) {
		return []byte("{}"), nil
	}
	return b, err
}

// LatestEventOfKind returns, for each of the cases that has one, its most
// recent event of the kind recorded at or after since.
func (tx *Tx) LatestEventOfKind(ctx context.Context, caseIDs []int64, kind casefile.EventKind, since time.Time) (map[int64]casefile.Event, error) {
	out := map[int64]casefile.Event{}
	if len(caseIDs) == 0 {
		return out, nil
	}
	if err := tx.loadKeys(ctx, caseIDs); err != nil {
		return nil, err
	}
	args := []any{kind, tx.db.dialect.timeArg(since)}
	for _, id := range caseIDs {
		args = append(args, id)
	}
	rows, err := tx.query(ctx, `SELECT id, case_id, at, actor, kind, detail FROM timeline
		WHERE kind = ? AND at >= ? AND case_id IN (`+placeholders(len(caseIDs))+`) ORDER BY id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: query events of a kind: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e casefile.Event
		var caseID int64
		var detail []byte
		if err := rows.Scan(&e.ID, &caseID, timeCol{&e.At}, &e.Actor, &e.Kind, &detail); err != nil {
			return nil, fmt.Errorf("store: scan event: %w", err)
		}
		if _, seen := out[caseID]; seen {
			continue
		}
		if e.Detail, err = tx.openDetail(ctx, caseID, detail); err != nil {
			return nil, fmt.Errorf("store: open event %d of case %d: %w", e.ID, caseID, err)
		}
		out[caseID] = e
	}
	return out, rows.Err()
}
