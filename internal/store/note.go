package store

import (
	"context"
	"fmt"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// InsertNote adds a note to the case and sets its ID and creation time.
func (tx *Tx) InsertNote(ctx context.Context, caseID int64, n *casefile.Note) error {
	body, err := tx.sealBytes(ctx, caseID, []byte(n.Body))
	if err != nil {
		return fmt.Errorf("store: seal note: %w", err)
	}
	n.CreatedAt = tx.now
	err = tx.queryRow(ctx, `INSERT INTO notes (case_id, body, created_at, created_by)
		VALUES (?, ?, ?, ?) RETURNING id`, caseID, body, tx.timeArg(), n.CreatedBy).Scan(&n.ID)
	if err != nil {
		return fmt.Errorf("store: insert note: %w", err)
	}
	return nil
}

// Notes returns the case's notes, oldest first.
func (tx *Tx) Notes(ctx context.Context, caseID int64) ([]casefile.Note, error) {
	if err := tx.loadKeys(ctx, []int64{caseID}); err != nil {
		return nil, err
	}
	rows, err := tx.query(ctx, `SELECT id, body, created_at, created_by FROM notes
		WHERE case_id = ? ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("store: query notes: %w", err)
	}
	defer rows.Close()
	notes := []casefile.Note{}
	for rows.Next() {
		var n casefile.Note
		var body []byte
		if err := rows.Scan(&n.ID, &body, timeCol{&n.CreatedAt}, &n.CreatedBy); err != nil {
			return nil, fmt.Errorf("store: scan note: %w", err)
		}
		plain, err := tx.openBytes(ctx, caseID, body)
		if err != nil {
			return nil, fmt.Errorf("store: open note %d of case %d: %w", n.ID, caseID, err)
		}
		n.Body = string(plain)
		notes = append(notes, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: query notes: %w", err)
	}
	return notes, nil
}
