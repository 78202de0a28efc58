package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// PutFact records f as the current state of the fact on the case and
// appends it to the fact's history. It stamps f with the transaction time.
func (tx *Tx) PutFact(ctx context.Context, caseID int64, f *casefile.Fact) error {
	f.RecordedAt = tx.now
	value, err := tx.sealValue(ctx, caseID, f.Value)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO facts (case_id, name, state, value, source, recorded_at, recorded_by)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (case_id, name) DO UPDATE SET state = excluded.state, value = excluded.value,
		source = excluded.source, recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by`,
		caseID, f.Name, f.State, value, f.Source, tx.timeArg(), f.RecordedBy)
	if err != nil {
		return fmt.Errorf("store: put fact: %w", err)
	}
	return tx.appendFactHistory(ctx, caseID, f.Name, f.State, value, f.Source, f.RecordedBy)
}

// ClearFact makes the fact not asked again and records that in its
// history. It returns ENOTFOUND if the fact has no current state.
func (tx *Tx) ClearFact(ctx context.Context, caseID int64, name, actor string) error {
	res, err := tx.exec(ctx, `DELETE FROM facts WHERE case_id = ? AND name = ?`, caseID, name)
	if err != nil {
		return fmt.Errorf("store: clear fact: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: clear fact: %w", err)
	} else if n == 0 {
		return sanctuary.Errorf(sanctuary.ENOTFOUND, "fact %s has not been asked on this case", name)
	}
	return tx.appendFactHistory(ctx, caseID, name, casefile.StateNotAsked, nil, "", actor)
}

func (tx *Tx) appendFactHistory(ctx context.Context, caseID int64, name string, state casefile.State,
	value []byte, source casefile.Source, actor string) error {
	_, err := tx.exec(ctx, `INSERT INTO fact_history (case_id, name, state, value, source, recorded_at, recorded_by)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, caseID, name, state, value, source, tx.timeArg(), actor)
	if err != nil {
		return fmt.Errorf("store: append fact history: %w", err)
	}
	return nil
}

func (tx *Tx) sealValue(ctx context.Context, caseID int64, v *casefile.Value) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	s, err := tx.sealBytes(ctx, caseID, encodeValue(*v))
	if err != nil {
		return nil, fmt.Errorf("store: seal value: %w", err)
	}
	return s, nil
}

// Facts returns the current state of every fact asked on the case, by name.
func (tx *Tx) Facts(ctx context.Context, caseID int64) ([]casefile.Fact, error) {
	return tx.queryFacts(ctx, caseID, `SELECT name, state, value, source, recorded_at, recorded_by
		FROM facts WHERE case_id = ? ORDER BY name`, caseID)
}

// FactHistory returns every state the named fact has had on the case, oldest
// first; with name "", the history of every fact.
func (tx *Tx) FactHistory(ctx context.Context, caseID int64, name string) ([]casefile.Fact, error) {
	q := `SELECT name, state, value, source, recorded_at, recorded_by FROM fact_history WHERE case_id = ?`
	args := []any{caseID}
	if name != "" {
		q += ` AND name = ?`
		args = append(args, name)
	}
	return tx.queryFacts(ctx, caseID, q+` ORDER BY id`, args...)
}

func (tx *Tx) queryFacts(ctx context.Context, caseID int64, q string, args ...any) ([]casefile.Fact, error) {
	if err := tx.loadKeys(ctx, []int64{caseID}); err != nil {
		return nil, err
	}
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: query facts: %w", err)
	}
	defer rows.Close()
	facts := []casefile.Fact{}
	for rows.Next() {
		f, err := tx.scanFact(ctx, caseID, rows)
		if err != nil {
			return nil, err
		}
		facts = append(facts, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: query facts: %w", err)
	}
	return facts, nil
}

func (tx *Tx) scanFact(ctx context.Context, caseID int64, row scanner) (casefile.Fact, error) {
	var f casefile.Fact
	var value []byte
	var source sql.NullString
	err := row.Scan(&f.Name, &f.State, &value, &source, timeCol{&f.RecordedAt}, &f.RecordedBy)
	if err != nil {
		return f, fmt.Errorf("store: scan fact: %w", err)
	}
	f.Source = casefile.Source(source.String)
	if value == nil {
		return f, nil
	}
	plain, err := tx.openBytes(ctx, caseID, value)
	if err != nil {
		return f, fmt.Errorf("store: open fact %s of case %d: %w", f.Name, caseID, err)
	}
	v, err := decodeValue(plain)
	if err != nil {
		return f, fmt.Errorf("store: fact %s of case %d: %w", f.Name, caseID, err)
	}
	f.Value = &v
	return f, nil
}
