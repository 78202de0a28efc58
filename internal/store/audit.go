package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/sanctuary-platform/sanctuary/internal/audit"
)

// AppendAudit adds an entry to the audit trail, chained to the head: the
// head row is locked (PostgreSQL) or the write transaction holds the
// database (SQLite), so entries are numbered without gaps in the order
// their hashes chain. It sets the entry's Seq, At and Hash.
func (tx *Tx) AppendAudit(ctx context.Context, e *audit.Entry) error {
	var prev string
	err := tx.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`+tx.db.dialect.forUpdate).Scan(&e.Seq, &prev)
	if err != nil {
		return fmt.Errorf("store: read the audit head: %w", err)
	}
	e.Seq++
	e.At = tx.now
	e.Hash = e.ComputeHash(prev)
	_, err = tx.exec(ctx, `INSERT INTO audit_log (seq, at, actor, role, via, action, outcome, case_ref, object, detail, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.Seq, tx.timeArg(), e.Actor, e.Role, e.Via, e.Action, e.Outcome,
		e.CaseRef, e.Object, e.Detail, e.Hash)
	if err != nil {
		return fmt.Errorf("store: append audit entry: %w", err)
	}
	if _, err := tx.exec(ctx, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, e.Seq, e.Hash); err != nil {
		return fmt.Errorf("store: move the audit head: %w", err)
	}
	return nil
}

// AuditFilter selects audit entries. Zero fields do not filter.
type AuditFilter struct {
	Actor   string
	CaseRef string
	Action  string // an action, or a prefix ending in "." ("case.")
	Outcome string
	From    time.Time // at or after
	To      time.Time // before
	// AfterSeq continues a listing: only entries after it, oldest first.
	AfterSeq int64
	Limit    int
}

// AuditEntries returns the entries matching f, oldest first.
func (tx *Tx) AuditEntries(ctx context.Context, f AuditFilter) ([]audit.Entry, error) {
	where, args := []string{`seq > ?`}, []any{f.AfterSeq}
	add := func(cond string, v any) { where, args = append(where, cond), append(args, v) }
	if f.Actor != "" {
		add(`actor = ?`, f.Actor)
	}
	if f.CaseRef != "" {
		add(`case_ref = ?`, f.CaseRef)
	}
	if strings.HasSuffix(f.Action, ".") {
		add(`substr(action, 1, ?) = ?`, len(f.Action))
		args = append(args, f.Action)
	} else if f.Action != "" {
		add(`action = ?`, f.Action)
	}
	if f.Outcome != "" {
		add(`outcome = ?`, f.Outcome)
	}
	if !f.From.IsZero() {
		add(`at >= ?`, tx.timeValue(f.From))
	}
	if !f.To.IsZero() {
		add(`at < ?`, tx.timeValue(f.To))
	}
	q := `SELECT seq, at, actor, role, via, action, outcome, case_ref, object, detail, hash FROM audit_log WHERE ` +
		strings.Join(where, ` AND `) + ` ORDER BY seq`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	return tx.scanAudit(ctx, q, args)
}

func (tx *Tx) scanAudit(ctx context.Context, q string, args []any) ([]audit.Entry, error) {
	return queryAll(ctx, tx, "read audit entries", q, args, func(row scanner) (audit.Entry, error) {
		var e audit.Entry
		err := row.Scan(&e.Seq, timeCol{&e.At}, &e.Actor, &e.Role, &e.Via, &e.Action, &e.Outcome,
			&e.CaseRef, &e.Object, &e.Detail, &e.Hash)
		return e, err
	})
}

// AuditHead returns the sequence number and hash of the latest entry.
func (tx *Tx) AuditHead(ctx context.Context) (int64, string, error) {
	var seq int64
	var hash string
	if err := tx.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&seq, &hash); err != nil {
		return 0, "", fmt.Errorf("store: read the audit head: %w", err)
	}
	return seq, hash, nil
}

// InsertAuditAnchor records that the chain head seq/hash was written to
// the custody log at logIndex.
func (tx *Tx) InsertAuditAnchor(ctx context.Context, a audit.Anchor) error {
	_, err := tx.exec(ctx, `INSERT INTO audit_anchors (seq, hash, log_index, at) VALUES (?, ?, ?, ?)`,
		a.Seq, a.Hash, a.LogIndex, tx.timeArg())
	if err != nil {
		return fmt.Errorf("store: record audit anchor: %w", err)
	}
	return nil
}

// AuditAnchors lists the anchors, oldest first.
func (tx *Tx) AuditAnchors(ctx context.Context) ([]audit.Anchor, error) {
	return queryAll(ctx, tx, "read audit anchors", `SELECT seq, hash, log_index, at FROM audit_anchors ORDER BY seq`, nil,
		func(row scanner) (audit.Anchor, error) {
			var a audit.Anchor
			err := row.Scan(&a.Seq, &a.Hash, &a.LogIndex, timeCol{&a.At})
			return a, err
		})
}
