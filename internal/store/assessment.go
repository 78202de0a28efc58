package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/sanctuary-platform/sanctuary"
)

// StoredPack is a knowledge pack as kept for reproducing assessments.
type StoredPack struct {
	Hash    string
	Name    string
	Version string
	Files   map[string][]byte
}

// SavePack keeps the pack's files under its hash, once.
func (tx *Tx) SavePack(ctx context.Context, p StoredPack) error {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM packs WHERE hash = ?`, p.Hash).Scan(&n); err != nil {
		return fmt.Errorf("store: look up pack: %w", err)
	}
	if n > 0 {
		return nil // kept already; the files are not sent again
	}
	files, err := json.Marshal(p.Files)
	if err != nil {
		return fmt.Errorf("store: encode pack: %w", err)
	}
	_, err = tx.exec(ctx, `INSERT INTO packs (hash, name, version, files, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (hash) DO NOTHING`, p.Hash, p.Name, p.Version, files, tx.timeArg())
	if err != nil {
		return fmt.Errorf("store: save pack: %w", err)
	}
	return nil
}

// PackByHash returns a kept pack, or ENOTFOUND.
func (tx *Tx) PackByHash(ctx context.Context, hash string) (StoredPack, error) {
	p := StoredPack{Hash: hash}
	var files []byte
	err := tx.queryRow(ctx, `SELECT name, version, files FROM packs WHERE hash = ?`, hash).Scan(&p.Name, &p.Version, &files)
	if errors.Is(err, sql.ErrNoRows) {
		return p, sanctuary.Errorf(sanctuary.ENOTFOUND, "no knowledge pack with hash %s is kept", hash)
	}
	if err != nil {
		return p, fmt.Errorf("store: read pack: %w", err)
	}
	if err := json.Unmarshal(files, &p.Files); err != nil {
		return p, fmt.Errorf("store: decode pack %s: %w", hash, err)
	}
	return p, nil
}

// AssessmentRecord is a stored assessment: its metadata in columns, the
// assessment itself (with the facts it used) as sealed JSON.
type AssessmentRecord struct {
	ID          int64
	CaseID      int64
	AsOf        string
	KnownAsOf   string
	PackHash    string
	PackVersion string
	CreatedAt   time.Time
	CreatedBy   string
	Result      []byte // JSON, unsealed
}

// InsertAssessment stores an assessment of the case and sets its ID and
// creation time.
func (tx *Tx) InsertAssessment(ctx context.Context, r *AssessmentRecord) error {
	sealed, err := tx.sealBytes(ctx, r.CaseID, r.Result)
	if err != nil {
		return fmt.Errorf("store: seal assessment: %w", err)
	}
	r.CreatedAt = tx.now
	err = tx.queryRow(ctx, `INSERT INTO assessments (case_id, as_of, known_as_of, pack_hash, pack_version,
		created_at, created_by, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.CaseID, r.AsOf, r.KnownAsOf, r.PackHash, r.PackVersion, tx.timeArg(), r.CreatedBy, sealed).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("store: insert assessment: %w", err)
	}
	return nil
}

const assessmentColumns = `id, case_id, as_of, known_as_of, pack_hash, pack_version, created_at, created_by`

// Assessments returns the case's assessments, newest first, without their
// results; limit <= 0 returns all.
func (tx *Tx) Assessments(ctx context.Context, caseID int64, limit int) ([]AssessmentRecord, error) {
	q := `SELECT ` + assessmentColumns + ` FROM assessments WHERE case_id = ? ORDER BY id DESC`
	args := []any{caseID}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list assessments: %w", err)
	}
	defer rows.Close()
	out := []AssessmentRecord{}
	for rows.Next() {
		var r AssessmentRecord
		if err := rows.Scan(&r.ID, &r.CaseID, &r.AsOf, &r.KnownAsOf, &r.PackHash, &r.PackVersion,
			timeCol{&r.CreatedAt}, &r.CreatedBy); err != nil {
			return nil, fmt.Errorf("store: scan assessment: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// AssessmentByID returns one assessment of the case with its result, or
// ENOTFOUND.
func (tx *Tx) AssessmentByID(ctx context.Context, caseID, id int64) (AssessmentRecord, error) {
	var r AssessmentRecord
	var sealed []byte
	err := tx.queryRow(ctx, `SELECT `+assessmentColumns+`, result FROM assessments WHERE case_id = ? AND id = ?`,
		caseID, id).Scan(&r.ID, &r.CaseID, &r.AsOf, &r.KnownAsOf, &r.PackHash, &r.PackVersion,
		timeCol{&r.CreatedAt}, &r.CreatedBy, &sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return r, sanctuary.Errorf(sanctuary.ENOTFOUND, "no assessment %d on this case", id)
	}
	if err != nil {
		return r, fmt.Errorf("store: read assessment: %w", err)
	}
	if r.Result, err = tx.openBytes(ctx, caseID, sealed); err != nil {
		return r, fmt.Errorf("store: open assessment %d: %w", id, err)
	}
	return r, nil
}

// CaseRef is a case's internal ID and its reference.
type CaseRef struct {
	ID        int64
	Reference string
}

// OpenCasesNotAssessedWith lists the open cases (not closed or withdrawn)
// whose latest assessment did not use the pack with the hash, or that have
// none, oldest first.
func (tx *Tx) OpenCasesNotAssessedWith(ctx context.Context, hash string) ([]CaseRef, error) {
	rows, err := tx.query(ctx, `SELECT c.id, c.reference FROM cases c
		WHERE c.status NOT IN ('closed', 'withdrawn')
		AND NOT EXISTS (SELECT 1 FROM case_data_keys k WHERE k.case_id = c.id AND k.wrapped IS NULL)
		AND NOT EXISTS (SELECT 1 FROM assessments a WHERE a.case_id = c.id AND a.pack_hash = ?
			AND a.id = (SELECT MAX(b.id) FROM assessments b WHERE b.case_id = c.id))
		ORDER BY c.id`, hash)
	if err != nil {
		return nil, fmt.Errorf("store: cases to reassess: %w", err)
	}
	defer rows.Close()
	var out []CaseRef
	for rows.Next() {
		var r CaseRef
		if err := rows.Scan(&r.ID, &r.Reference); err != nil {
			return nil, fmt.Errorf("store: cases to reassess: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
