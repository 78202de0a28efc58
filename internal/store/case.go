package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// NextReference hands out the next case reference of year (SN-2026-0001,
// SN-2026-0002, ...). The counter row is locked until the transaction ends,
// so references are never handed out twice.
func (tx *Tx) NextReference(ctx context.Context, year int) (string, error) {
	var n int64
	err := tx.queryRow(ctx, `INSERT INTO case_counters (year, last) VALUES (?, 1)
		ON CONFLICT (year) DO UPDATE SET last = case_counters.last + 1
		RETURNING last`, year).Scan(&n)
	if err != nil {
		return "", fmt.Errorf("store: next reference: %w", err)
	}
	return casefile.FormatReference(year, n), nil
}

// InsertCase stores a new case and sets its ID, timestamps and version.
func (tx *Tx) InsertCase(ctx context.Context, c *casefile.Case) error {
	c.CreatedAt, c.UpdatedAt, c.Version = tx.now, tx.now, 1
	cit, lang := jsonList(c.Person.Citizenships), jsonList(c.Person.Languages)
	err := tx.queryRow(ctx, `INSERT INTO cases (reference, status, identity, citizenships,
		languages, created_at, created_by, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.Reference, c.Status, []byte{}, cit, lang, tx.timeArg(), c.CreatedBy, tx.timeArg(), c.Version,
	).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("store: insert case: %w", err)
	}
	// The identity is sealed with the case's ID, known only now.
	if err := tx.writeIdentity(ctx, c); err != nil {
		return err
	}
	return tx.writeCaseLists(ctx, c)
}

func (tx *Tx) writeIdentity(ctx context.Context, c *casefile.Case) error {
	sealed, err := tx.seal(ctx, c.ID, c.Person.Identity)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE cases SET identity = ? WHERE id = ?`, sealed, c.ID); err != nil {
		return fmt.Errorf("store: write identity: %w", err)
	}
	return tx.writeNameIndex(ctx, c)
}

// writeCaseLists replaces the case's destinations and assignees.
func (tx *Tx) writeCaseLists(ctx context.Context, c *casefile.Case) error {
	for _, t := range []struct {
		table, col string
		items      []string
	}{
		{"case_destinations", "country", c.Destinations},
		{"case_assignees", "name", c.Assignees},
	} {
		if _, err := tx.exec(ctx, `DELETE FROM `+t.table+` WHERE case_id = ?`, c.ID); err != nil {
			return fmt.Errorf("store: clear %s: %w", t.table, err)
		}
		for i, it := range t.items {
			_, err := tx.exec(ctx, `INSERT INTO `+t.table+` (case_id, `+t.col+`, position) VALUES (?, ?, ?)`, c.ID, it, i)
			if err != nil {
				return fmt.Errorf("store: insert into %s: %w", t.table, err)
			}
		}
	}
	return nil
}

// UpdateCase writes the case's person, destinations and assignees (not its
// status, see SetStatus) and advances its version and update time. It
// returns ECONFLICT if the stored version is no longer c.Version.
func (tx *Tx) UpdateCase(ctx context.Context, c *casefile.Case) error {
	sealed, err := tx.seal(ctx, c.ID, c.Person.Identity)
	if err != nil {
		return err
	}
	res, err := tx.exec(ctx, `UPDATE cases SET identity = ?, citizenships = ?, languages = ?,
		updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		sealed, jsonList(c.Person.Citizenships), jsonList(c.Person.Languages),
		tx.timeArg(), c.ID, c.Version)
	if err := tx.checkVersioned(res, err, c); err != nil {
		return err
	}
	if err := tx.writeNameIndex(ctx, c); err != nil {
		return err
	}
	return tx.writeCaseLists(ctx, c)
}

// SetStatus moves the case to status and advances its version. It returns
// ECONFLICT if the stored version is no longer c.Version.
func (tx *Tx) SetStatus(ctx context.Context, c *casefile.Case, status casefile.Status) error {
	res, err := tx.exec(ctx, `UPDATE cases SET status = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`, status, tx.timeArg(), c.ID, c.Version)
	if err := tx.checkVersioned(res, err, c); err != nil {
		return err
	}
	c.Status = status
	return nil
}

func (tx *Tx) checkVersioned(res sql.Result, err error, c *casefile.Case) error {
	if err != nil {
		return fmt.Errorf("store: update case: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: update case: %w", err)
	}
	if n == 0 {
		return sanctuary.Errorf(sanctuary.ECONFLICT,
			"case %s was changed by someone else since version %d; reload it and try again", c.Reference, c.Version)
	}
	c.Version++
	c.UpdatedAt = tx.now
	return nil
}

// TouchCase marks the case as updated now without changing its version
// (facts and notes changed, not the case record).
func (tx *Tx) TouchCase(ctx context.Context, c *casefile.Case) error {
	if _, err := tx.exec(ctx, `UPDATE cases SET updated_at = ? WHERE id = ?`, tx.timeArg(), c.ID); err != nil {
		return fmt.Errorf("store: touch case: %w", err)
	}
	c.UpdatedAt = tx.now
	return nil
}

const caseColumns = `id, reference, status, identity, citizenships, languages,
	created_at, created_by, updated_at, version`

// CaseByReference returns the case with the reference, or ENOTFOUND.
func (tx *Tx) CaseByReference(ctx context.Context, ref string) (casefile.Case, error) {
	row := tx.queryRow(ctx, `SELECT `+caseColumns+` FROM cases WHERE reference = ?`, ref)
	c, identity, err := tx.scanCase(row)
	if errors.Is(err, sql.ErrNoRows) {
		return casefile.Case{}, sanctuary.Errorf(sanctuary.ENOTFOUND, "no case %s", ref)
	}
	if err == nil {
		err = tx.openIdentity(ctx, &c, identity)
	}
	if err != nil {
		return casefile.Case{}, err
	}
	cs := []*casefile.Case{&c}
	return c, tx.loadCaseLists(ctx, cs)
}

type scanner interface{ Scan(dest ...any) error }

// scanCase reads a case row; its identity stays sealed until
// openIdentity, so that a listing reads its rows before it reads keys.
func (tx *Tx) scanCase(row scanner) (casefile.Case, []byte, error) {
	var c casefile.Case
	var identity []byte
	var cit, lang string
	err := row.Scan(&c.ID, &c.Reference, &c.Status, &identity, &cit, &lang,
		timeCol{&c.CreatedAt}, &c.CreatedBy, timeCol{&c.UpdatedAt}, &c.Version)
	if err != nil {
		return c, nil, err
	}
	if err := json.Unmarshal([]byte(cit), &c.Person.Citizenships); err != nil {
		return c, nil, fmt.Errorf("store: case %d citizenships: %w", c.ID, err)
	}
	if err := json.Unmarshal([]byte(lang), &c.Person.Languages); err != nil {
		return c, nil, fmt.Errorf("store: case %d languages: %w", c.ID, err)
	}
	return c, identity, nil
}

// openIdentity unseals the person's identity; a case whose key was
// destroyed keeps none and says so.
func (tx *Tx) openIdentity(ctx context.Context, c *casefile.Case, sealed []byte) error {
	err := tx.open(ctx, c.ID, sealed, &c.Person.Identity)
	if errors.Is(err, ErrKeyDestroyed) {
		c.KeyDestroyed = true
		return nil
	}
	return err
}

// loadCaseLists fills in destinations and assignees of the cases.
func (tx *Tx) loadCaseLists(ctx context.Context, cs []*casefile.Case) error {
	if len(cs) == 0 {
		return nil
	}
	byID := make(map[int64]*casefile.Case, len(cs))
	ids := make([]any, len(cs))
	for i, c := range cs {
		byID[c.ID], ids[i] = c, c.ID
		c.Destinations, c.Assignees = []string{}, []string{}
	}
	in := placeholders(len(ids))
	err := tx.collectLists(ctx, `SELECT case_id, country FROM case_destinations WHERE case_id IN (`+in+`) ORDER BY case_id, position`,
		ids, func(c *casefile.Case, s string) { c.Destinations = append(c.Destinations, s) }, byID)
	if err != nil {
		return err
	}
	return tx.collectLists(ctx, `SELECT case_id, name FROM case_assignees WHERE case_id IN (`+in+`) ORDER BY case_id, position`,
		ids, func(c *casefile.Case, s string) { c.Assignees = append(c.Assignees, s) }, byID)
}

func (tx *Tx) collectLists(ctx context.Context, q string, ids []any, add func(*casefile.Case, string), byID map[int64]*casefile.Case) error {
	rows, err := tx.query(ctx, q, ids...)
	if err != nil {
		return fmt.Errorf("store: load case lists: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			return fmt.Errorf("store: load case lists: %w", err)
		}
		add(byID[id], s)
	}
	return rows.Err()
}

// Visibility is who is looking at a list of cases: a staff member sees
// the cases whose team they are on and those they hold a break-glass grant
// for; a client sees their own.
type Visibility struct {
	Email  string
	UserID int64
	CaseID int64
}

// CaseFilter selects cases for ListCases. Zero fields do not filter.
type CaseFilter struct {
	Statuses    []casefile.Status
	Destination string
	Assignee    string
	// NameToken selects cases by an exact name (Tx.NameToken).
	NameToken string
	// Visible limits the cases to those a principal may see; nil: all.
	Visible *Visibility
	// BeforeID continues a listing: only cases with a smaller ID.
	BeforeID int64
	Limit    int
}

// ListCases returns cases matching f, newest first, at most f.Limit.
func (tx *Tx) ListCases(ctx context.Context, f CaseFilter) ([]casefile.Case, error) {
	var where []string
	var args []any
	if len(f.Statuses) > 0 {
		where = append(where, `status IN (`+placeholders(len(f.Statuses))+`)`)
		for _, s := range f.Statuses {
			args = append(args, s)
		}
	}
	if f.Destination != "" {
		where = append(where, `EXISTS (SELECT 1 FROM case_destinations d WHERE d.case_id = cases.id AND d.country = ?)`)
		args = append(args, f.Destination)
	}
	if f.Assignee != "" {
		where = append(where, `EXISTS (SELECT 1 FROM case_assignees a WHERE a.case_id = cases.id AND a.name = ?)`)
		args = append(args, f.Assignee)
	}
	if f.NameToken != "" {
		where = append(where, `EXISTS (SELECT 1 FROM case_name_index n WHERE n.case_id = cases.id AND n.token = ?)`)
		args = append(args, f.NameToken)
	}
	if v := f.Visible; v != nil {
		where = append(where, `(EXISTS (SELECT 1 FROM case_assignees a WHERE a.case_id = cases.id AND a.name = ?)
			OR EXISTS (SELECT 1 FROM break_glass g WHERE g.case_id = cases.id AND g.user_id = ? AND g.expires_at > ?)
			OR id = ?)`)
		args = append(args, v.Email, v.UserID, tx.timeArg(), v.CaseID)
	}
	if f.BeforeID > 0 {
		where = append(where, `id < ?`)
		args = append(args, f.BeforeID)
	}
	q := `SELECT ` + caseColumns + ` FROM cases`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, f.Limit)
	return tx.queryCases(ctx, q, args)
}

func (tx *Tx) queryCases(ctx context.Context, q string, args []any) ([]casefile.Case, error) {
	cases, identities, err := tx.scanCases(ctx, q, args)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(cases))
	ptrs := make([]*casefile.Case, len(cases))
	for i := range cases {
		ids[i], ptrs[i] = cases[i].ID, &cases[i]
	}
	if err := tx.loadKeys(ctx, ids); err != nil {
		return nil, err
	}
	for i := range cases {
		if err := tx.openIdentity(ctx, &cases[i], identities[i]); err != nil {
			return nil, fmt.Errorf("store: list cases: %w", err)
		}
	}
	return cases, tx.loadCaseLists(ctx, ptrs)
}

func (tx *Tx) scanCases(ctx context.Context, q string, args []any) ([]casefile.Case, [][]byte, error) {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("store: list cases: %w", err)
	}
	defer rows.Close()
	cases, identities := []casefile.Case{}, [][]byte{}
	for rows.Next() {
		c, identity, err := tx.scanCase(rows)
		if err != nil {
			return nil, nil, fmt.Errorf("store: list cases: %w", err)
		}
		cases, identities = append(cases, c), append(identities, identity)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: list cases: %w", err)
	}
	return cases, identities, nil
}

func jsonList(items []string) string {
	if items == nil {
		items = []string{}
	}
	b, _ := json.Marshal(items) // a []string always marshals
	return string(b)
}

// CaseReference returns the reference of the case with the ID, or
// ENOTFOUND.
func (tx *Tx) CaseReference(ctx context.Context, id int64) (string, error) {
	var ref string
	err := tx.queryRow(ctx, `SELECT reference FROM cases WHERE id = ?`, id).Scan(&ref)
	if errors.Is(err, sql.ErrNoRows) {
		return "", sanctuary.Errorf(sanctuary.ENOTFOUND, "no such case")
	}
	if err != nil {
		return "", fmt.Errorf("store: read case reference: %w", err)
	}
	return ref, nil
}

// CasesWithAssignee returns the cases (ID and reference) whose team
// includes the email.
func (tx *Tx) CasesWithAssignee(ctx context.Context, email string) ([]casefile.Case, error) {
	return queryAll(ctx, tx, "cases of an assignee", `SELECT c.id, c.reference FROM cases c
		JOIN case_assignees a ON a.case_id = c.id WHERE a.name = ? ORDER BY c.id`, []any{email}, func(row scanner) (casefile.Case, error) {
		var c casefile.Case
		err := row.Scan(&c.ID, &c.Reference)
		return c, err
	})
}
