package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// InsertDeadline adds a deadline to the case and sets its ID and time.
func (tx *Tx) InsertDeadline(ctx context.Context, caseID int64, d *casefile.Deadline) error {
	label, err := tx.sealBytes(ctx, caseID, []byte(d.Label))
	if err != nil {
		return fmt.Errorf("store: seal deadline: %w", err)
	}
	d.CreatedAt = tx.now
	err = tx.queryRow(ctx, `INSERT INTO deadlines (case_id, due, label, created_at, created_by)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, caseID, d.Due.String(), label, tx.timeArg(), d.CreatedBy).Scan(&d.ID)
	if err != nil {
		return fmt.Errorf("store: insert deadline: %w", err)
	}
	return nil
}

// CompleteDeadline marks the case's deadline done and returns its due
// date; ENOTFOUND if the case has no such deadline, ECONFLICT if it is done
// already.
func (tx *Tx) CompleteDeadline(ctx context.Context, caseID, id int64, by string) (casefile.Date, error) {
	var due string
	err := tx.queryRow(ctx, `UPDATE deadlines SET done_at = ?, done_by = ? WHERE case_id = ? AND id = ? AND done_at IS NULL
		RETURNING due`, tx.timeArg(), by, caseID, id).Scan(&due)
	if err == nil {
		return casefile.ParseDate(due)
	} else if err != sql.ErrNoRows {
		return casefile.Date{}, fmt.Errorf("store: complete deadline: %w", err)
	}
	var n int
	if err := tx.queryRow(ctx, `SELECT count(*) FROM deadlines WHERE case_id = ? AND id = ?`, caseID, id).Scan(&n); err != nil {
		return casefile.Date{}, fmt.Errorf("store: complete deadline: %w", err)
	}
	if n == 0 {
		return casefile.Date{}, sanctuary.Errorf(sanctuary.ENOTFOUND, "no deadline %d on this case", id)
	}
	return casefile.Date{}, sanctuary.Errorf(sanctuary.ECONFLICT, "deadline %d is done already", id)
}

// Deadlines returns the deadlines of the cases, by due date: all of them,
// or with open only those not done and due on or before until (any date
// if until is zero).
func (tx *Tx) Deadlines(ctx context.Context, caseIDs []int64, open bool, until casefile.Date) ([]casefile.Deadline, error) {
	out := []casefile.Deadline{}
	if len(caseIDs) == 0 {
		return out, nil
	}
	if err := tx.loadKeys(ctx, caseIDs); err != nil {
		return nil, err
	}
	q := `SELECT id, case_id, due, label, created_at, created_by, done_at, done_by FROM deadlines
		WHERE case_id IN (` + placeholders(len(caseIDs)) + `)`
	args := make([]any, 0, len(caseIDs)+1)
	for _, id := range caseIDs {
		args = append(args, id)
	}
	if open {
		q += ` AND done_at IS NULL`
		if !until.IsZero() {
			q += ` AND due <= ?`
			args = append(args, until.String())
		}
	}
	rows, err := tx.query(ctx, q+` ORDER BY due, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: query deadlines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		d, err := tx.scanDeadline(ctx, rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func (tx *Tx) scanDeadline(ctx context.Context, rows *sql.Rows) (casefile.Deadline, error) {
	var d casefile.Deadline
	var due string
	var label []byte
	var doneAt time.Time
	var doneBy sql.NullString
	if err := rows.Scan(&d.ID, &d.CaseID, &due, &label, timeCol{&d.CreatedAt}, &d.CreatedBy, timeCol{&doneAt}, &doneBy); err != nil {
		return d, fmt.Errorf("store: scan deadline: %w", err)
	}
	var err error
	if d.Due, err = casefile.ParseDate(due); err != nil {
		return d, fmt.Errorf("store: deadline %d: %w", d.ID, err)
	}
	plain, err := tx.openBytes(ctx, d.CaseID, label)
	if err != nil {
		return d, fmt.Errorf("store: open deadline %d of case %d: %w", d.ID, d.CaseID, err)
	}
	d.Label = string(plain)
	if !doneAt.IsZero() {
		d.DoneAt, d.DoneBy = &doneAt, doneBy.String
	}
	return d, nil
}
