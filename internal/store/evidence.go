package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
)

// CaseKeyRecord is a case's key as stored: wrapped, never in the clear.
type CaseKeyRecord struct {
	CaseID     int64
	Recipient  string
	Wrapped    []byte // nil once shredded
	Tag        string
	CreatedAt  time.Time
	ShreddedAt *time.Time
}

// CaseKey returns the case's key record, or ENOTFOUND.
func (tx *Tx) CaseKey(ctx context.Context, caseID int64) (CaseKeyRecord, error) {
	r := CaseKeyRecord{CaseID: caseID}
	var shredded sql.Null[any]
	err := tx.queryRow(ctx, `SELECT recipient, wrapped, tag, created_at, shredded_at FROM case_keys WHERE case_id = ?`, caseID).
		Scan(&r.Recipient, &r.Wrapped, &r.Tag, timeCol{&r.CreatedAt}, &shredded)
	if errors.Is(err, sql.ErrNoRows) {
		return r, sanctuary.Errorf(sanctuary.ENOTFOUND, "the case has no key yet")
	}
	if err != nil {
		return r, fmt.Errorf("store: read case key: %w", err)
	}
	if shredded.Valid {
		var t time.Time
		if err := (timeCol{&t}).Scan(shredded.V); err != nil {
			return r, err
		}
		r.ShreddedAt = &t
	}
	return r, nil
}

// InsertCaseKey stores a new case key, unless the case has one already:
// then it leaves that one and puts it in *r. Two first uploads to a case
// at once (on PostgreSQL both can find no key) thus share the key that
// was stored first, instead of one failing on the primary key.
func (tx *Tx) InsertCaseKey(ctx context.Context, r *CaseKeyRecord) error {
	r.CreatedAt = tx.now
	res, err := tx.exec(ctx, `INSERT INTO case_keys (case_id, recipient, wrapped, tag, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (case_id) DO NOTHING`,
		r.CaseID, r.Recipient, r.Wrapped, r.Tag, tx.timeArg())
	if err != nil {
		return fmt.Errorf("store: insert case key: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: insert case key: %w", err)
	}
	if n == 1 {
		return nil
	}
	existing, err := tx.CaseKey(ctx, r.CaseID)
	if err != nil {
		return err
	}
	*r = existing
	return nil
}

// ShredCaseKey destroys the wrapped case key. It returns ECONFLICT if it
// was destroyed before.
func (tx *Tx) ShredCaseKey(ctx context.Context, caseID int64) error {
	res, err := tx.exec(ctx, `UPDATE case_keys SET wrapped = NULL, shredded_at = ? WHERE case_id = ? AND wrapped IS NOT NULL`,
		tx.timeArg(), caseID)
	if err != nil {
		return fmt.Errorf("store: shred case key: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return sanctuary.Errorf(sanctuary.ECONFLICT, "the case key was already destroyed, or never made")
	}
	return nil
}

const evidenceColumns = `id, kind, document_date, obtained_at, language, translation_of, derived_from, size, object_id,
	commitment, log_index, last_event, secret, created_at, created_by, updated_at`

// InsertEvidence stores a new item in the pending state, with the encoded
// ingest event that will make it committed, and sets its ID.
func (tx *Tx) InsertEvidence(ctx context.Context, caseID int64, it *evidence.Item, pendingEvent []byte) error {
	secret, err := tx.sealBytes(ctx, caseID, it.Sealed)
	if err != nil {
		return fmt.Errorf("store: seal evidence: %w", err)
	}
	it.CreatedAt, it.UpdatedAt = tx.now, tx.now
	err = tx.queryRow(ctx, `INSERT INTO evidence (case_id, state, kind, document_date, obtained_at, language, translation_of,
		derived_from, size, object_id, commitment, last_event, pending_event, secret, created_at, created_by, updated_at)
		VALUES (?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		caseID, it.Kind, dateArg(it.DocumentDate), dateArg(it.ObtainedAt), it.Language, idArg(it.TranslationOf),
		idArg(it.DerivedFrom), it.Size, it.ObjectID, it.Commitment, it.LastEvent, pendingEvent, secret, tx.timeArg(), it.CreatedBy, tx.timeArg(),
	).Scan(&it.ID)
	if err != nil {
		return fmt.Errorf("store: insert evidence: %w", err)
	}
	return tx.writeEvidenceFacts(ctx, it)
}

// CommitEvidence marks a pending item committed: its ingest event is in
// the custody log at logIndex. It returns ECONFLICT if the item is not
// pending (any more).
func (tx *Tx) CommitEvidence(ctx context.Context, id, logIndex int64) error {
	res, err := tx.exec(ctx, `UPDATE evidence SET state = 'committed', log_index = ?, pending_event = NULL WHERE id = ? AND state = 'pending'`,
		logIndex, id)
	if err != nil {
		return fmt.Errorf("store: commit evidence: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return sanctuary.Errorf(sanctuary.ECONFLICT, "evidence item %d is not pending", id)
	}
	return nil
}

// LockPendingEvidence keeps a pending item locked against other writers
// until the transaction ends: recovery passes over it (see
// ClaimPendingEvidence). It returns ECONFLICT if the item is no longer
// pending — recovery undid it. Run it in Update.
func (tx *Tx) LockPendingEvidence(ctx context.Context, id int64) error {
	var got int64
	err := tx.queryRow(ctx, `SELECT id FROM evidence WHERE id = ? AND state = 'pending'`+tx.db.dialect.forUpdate, id).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return sanctuary.Errorf(sanctuary.ECONFLICT, "evidence item %d is no longer pending", id)
	}
	if err != nil {
		return fmt.Errorf("store: lock pending evidence: %w", err)
	}
	return nil
}

// PendingEvidence is an item whose ingest was interrupted.
type PendingEvidence struct {
	ID        int64
	CaseID    int64
	ObjectID  string
	Event     []byte
	CreatedAt time.Time
}

// PendingEvidence lists the items still pending that were made before
// the given time.
func (tx *Tx) PendingEvidence(ctx context.Context, before time.Time) ([]PendingEvidence, error) {
	return tx.pendingEvidence(ctx, before, "")
}

// ClaimPendingEvidence is PendingEvidence that also locks the items until
// the transaction ends, passing over those another transaction holds
// (an ingest logging its item, see LockPendingEvidence). SQLite's write
// transaction holds the whole database, so there nothing is held by
// another. Run it in Update.
func (tx *Tx) ClaimPendingEvidence(ctx context.Context, before time.Time) ([]PendingEvidence, error) {
	return tx.pendingEvidence(ctx, before, tx.db.dialect.skipLocked)
}

func (tx *Tx) pendingEvidence(ctx context.Context, before time.Time, lock string) ([]PendingEvidence, error) {
	rows, err := tx.query(ctx, `SELECT id, case_id, object_id, pending_event, created_at FROM evidence
		WHERE state = 'pending' AND created_at < ? ORDER BY id`+lock, tx.timeValue(before))
	if err != nil {
		return nil, fmt.Errorf("store: pending evidence: %w", err)
	}
	defer rows.Close()
	var out []PendingEvidence
	for rows.Next() {
		var p PendingEvidence
		if err := rows.Scan(&p.ID, &p.CaseID, &p.ObjectID, &p.Event, timeCol{&p.CreatedAt}); err != nil {
			return nil, fmt.Errorf("store: pending evidence: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// DeletePendingEvidence removes a pending item whose ingest never reached
// the log.
func (tx *Tx) DeletePendingEvidence(ctx context.Context, id int64) error {
	if _, err := tx.exec(ctx, `DELETE FROM evidence_facts WHERE evidence_id = ?`, id); err != nil {
		return fmt.Errorf("store: delete pending evidence: %w", err)
	}
	_, err := tx.exec(ctx, `DELETE FROM evidence WHERE id = ? AND state = 'pending'`, id)
	if err != nil {
		return fmt.Errorf("store: delete pending evidence: %w", err)
	}
	return nil
}

// EvidenceList returns the case's committed items, oldest first.
func (tx *Tx) EvidenceList(ctx context.Context, caseID int64) ([]evidence.Item, error) {
	if err := tx.loadKeys(ctx, []int64{caseID}); err != nil {
		return nil, err
	}
	rows, err := tx.query(ctx, `SELECT `+evidenceColumns+` FROM evidence WHERE case_id = ? AND state = 'committed' ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("store: list evidence: %w", err)
	}
	defer rows.Close()
	items := []evidence.Item{}
	for rows.Next() {
		it, err := tx.scanEvidence(ctx, caseID, rows)
		if err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list evidence: %w", err)
	}
	return items, tx.caseEvidenceFacts(ctx, caseID, items)
}

// caseEvidenceFacts fills in the facts of each of the case's items, in
// one query.
func (tx *Tx) caseEvidenceFacts(ctx context.Context, caseID int64, items []evidence.Item) error {
	byID := make(map[int64]*evidence.Item, len(items))
	for i := range items {
		items[i].Facts = []string{}
		byID[items[i].ID] = &items[i]
	}
	rows, err := tx.query(ctx, `SELECT f.evidence_id, f.fact FROM evidence_facts f JOIN evidence e ON e.id = f.evidence_id
		WHERE e.case_id = ? ORDER BY f.evidence_id, f.fact`, caseID)
	if err != nil {
		return fmt.Errorf("store: evidence facts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var f string
		if err := rows.Scan(&id, &f); err != nil {
			return fmt.Errorf("store: evidence facts: %w", err)
		}
		if it := byID[id]; it != nil {
			it.Facts = append(it.Facts, f)
		}
	}
	return rows.Err()
}

// EvidenceByID returns one committed item of the case, or ENOTFOUND.
func (tx *Tx) EvidenceByID(ctx context.Context, caseID, id int64) (evidence.Item, error) {
	row := tx.queryRow(ctx, `SELECT `+evidenceColumns+` FROM evidence WHERE case_id = ? AND id = ? AND state = 'committed'`, caseID, id)
	it, err := tx.scanEvidence(ctx, caseID, row)
	if errors.Is(err, sql.ErrNoRows) {
		return it, sanctuary.Errorf(sanctuary.ENOTFOUND, "no evidence item %d on this case", id)
	}
	if err != nil {
		return it, err
	}
	it.Facts, err = tx.evidenceFacts(ctx, id)
	return it, err
}

func (tx *Tx) scanEvidence(ctx context.Context, caseID int64, row scanner) (evidence.Item, error) {
	var it evidence.Item
	var docDate, obtAt sql.NullString
	var transl, derived, logIdx sql.NullInt64
	var secret []byte
	err := row.Scan(&it.ID, &it.Kind, &docDate, &obtAt, &it.Language, &transl, &derived, &it.Size, &it.ObjectID,
		&it.Commitment, &logIdx, &it.LastEvent, &secret, timeCol{&it.CreatedAt}, &it.CreatedBy, timeCol{&it.UpdatedAt})
	if err != nil {
		return it, err
	}
	it.TranslationOf, it.DerivedFrom, it.LogIndex = transl.Int64, derived.Int64, logIdx.Int64
	if it.DocumentDate, err = dateCol(docDate); err != nil {
		return it, err
	}
	if it.ObtainedAt, err = dateCol(obtAt); err != nil {
		return it, err
	}
	// Once the case's key is destroyed an item keeps its public metadata
	// and loses the rest (Sealed is nil).
	it.Sealed, err = tx.openBytes(ctx, caseID, secret)
	if err != nil && !errors.Is(err, ErrKeyDestroyed) {
		return it, fmt.Errorf("store: open evidence %d: %w", it.ID, err)
	}
	return it, nil
}

// LockEvidence returns the hash of an item's latest custody event and
// when its description was last written, and keeps the item locked
// against other writers until the transaction ends, so that the next
// event names the right predecessor (and an edit can tell that nobody
// changed the item since it read it). Run it in Update.
func (tx *Tx) LockEvidence(ctx context.Context, caseID, id int64) (last string, updated time.Time, err error) {
	err = tx.queryRow(ctx, `SELECT last_event, updated_at FROM evidence WHERE case_id = ? AND id = ?`+tx.db.dialect.forUpdate,
		caseID, id).Scan(&last, timeCol{&updated})
	if errors.Is(err, sql.ErrNoRows) {
		return "", updated, sanctuary.Errorf(sanctuary.ENOTFOUND, "no evidence item %d on this case", id)
	}
	if err != nil {
		return "", updated, fmt.Errorf("store: lock evidence: %w", err)
	}
	return last, updated, nil
}

// SetLastEvent records an item's latest custody event.
func (tx *Tx) SetLastEvent(ctx context.Context, id int64, hash string) error {
	if _, err := tx.exec(ctx, `UPDATE evidence SET last_event = ? WHERE id = ?`, hash, id); err != nil {
		return fmt.Errorf("store: set last event: %w", err)
	}
	return nil
}

// UpdateEvidence writes an item's metadata, secret and facts.
func (tx *Tx) UpdateEvidence(ctx context.Context, caseID int64, it *evidence.Item) error {
	secret, err := tx.sealBytes(ctx, caseID, it.Sealed)
	if err != nil {
		return fmt.Errorf("store: seal evidence: %w", err)
	}
	it.UpdatedAt = tx.now
	_, err = tx.exec(ctx, `UPDATE evidence SET kind = ?, document_date = ?, obtained_at = ?, language = ?, translation_of = ?,
		last_event = ?, secret = ?, updated_at = ? WHERE id = ? AND case_id = ?`,
		it.Kind, dateArg(it.DocumentDate), dateArg(it.ObtainedAt), it.Language, idArg(it.TranslationOf),
		it.LastEvent, secret, tx.timeArg(), it.ID, caseID)
	if err != nil {
		return fmt.Errorf("store: update evidence: %w", err)
	}
	return tx.writeEvidenceFacts(ctx, it)
}

func (tx *Tx) writeEvidenceFacts(ctx context.Context, it *evidence.Item) error {
	if _, err := tx.exec(ctx, `DELETE FROM evidence_facts WHERE evidence_id = ?`, it.ID); err != nil {
		return fmt.Errorf("store: evidence facts: %w", err)
	}
	for _, f := range it.Facts {
		if _, err := tx.exec(ctx, `INSERT INTO evidence_facts (evidence_id, fact) VALUES (?, ?)`, it.ID, f); err != nil {
			return fmt.Errorf("store: evidence facts: %w", err)
		}
	}
	return nil
}

func (tx *Tx) evidenceFacts(ctx context.Context, id int64) ([]string, error) {
	rows, err := tx.query(ctx, `SELECT fact FROM evidence_facts WHERE evidence_id = ? ORDER BY fact`, id)
	if err != nil {
		return nil, fmt.Errorf("store: evidence facts: %w", err)
	}
	defer rows.Close()
	facts := []string{}
	for rows.Next() {
		var f string
		if err := rows.Scan(&f); err != nil {
			return nil, err
		}
		facts = append(facts, f)
	}
	return facts, rows.Err()
}

// CustodyEventRecord links a custody-log entry to its case and item.
type CustodyEventRecord struct {
	Origin     string // the log's origin: an index means something only in its log
	LogIndex   int64
	CaseID     int64
	EvidenceID int64 // 0 for events about the case as a whole
	Type       string
	Hash       string
	At         time.Time
}

// InsertCustodyEvent records where an event of the case went in the log.
func (tx *Tx) InsertCustodyEvent(ctx context.Context, r CustodyEventRecord) error {
	if r.Origin == "" {
		return errors.New("store: a custody event needs its log's origin")
	}
	_, err := tx.exec(ctx, `INSERT INTO custody_events (origin, log_index, case_id, evidence_id, type, hash, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		r.Origin, r.LogIndex, r.CaseID, idArg(r.EvidenceID), r.Type, r.Hash, tx.timeValue(r.At))
	if err != nil {
		return fmt.Errorf("store: record custody event: %w", err)
	}
	return nil
}

// CustodyEvents returns the log events of an item (or, with evidenceID 0,
// of the case as a whole), oldest first.
func (tx *Tx) CustodyEvents(ctx context.Context, caseID, evidenceID int64) ([]CustodyEventRecord, error) {
	q := `SELECT ` + custodyEventColumns + ` FROM custody_events WHERE case_id = ? AND evidence_id = ? ORDER BY log_index`
	args := []any{caseID, evidenceID}
	if evidenceID == 0 {
		q = `SELECT ` + custodyEventColumns + ` FROM custody_events WHERE case_id = ? AND evidence_id IS NULL ORDER BY log_index`
		args = args[:1]
	}
	return tx.queryCustodyEvents(ctx, q, args...)
}

const custodyEventColumns = `origin, log_index, case_id, evidence_id, type, hash, at`

func (tx *Tx) queryCustodyEvents(ctx context.Context, q string, args ...any) ([]CustodyEventRecord, error) {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: custody events: %w", err)
	}
	defer rows.Close()
	var out []CustodyEventRecord
	for rows.Next() {
		var r CustodyEventRecord
		var ev sql.NullInt64
		if err := rows.Scan(&r.Origin, &r.LogIndex, &r.CaseID, &ev, &r.Type, &r.Hash, timeCol{&r.At}); err != nil {
			return nil, fmt.Errorf("store: custody events: %w", err)
		}
		r.EvidenceID = ev.Int64
		out = append(out, r)
	}
	return out, rows.Err()
}

// ObjectIDs returns the ciphertext hash of every item, pending or
// committed, for checking the vault.
func (tx *Tx) ObjectIDs(ctx context.Context) (map[string]int64, error) {
	rows, err := tx.query(ctx, `SELECT id, object_id FROM evidence`)
	if err != nil {
		return nil, fmt.Errorf("store: evidence hashes: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id int64
		var h string
		if err := rows.Scan(&id, &h); err != nil {
			return nil, err
		}
		out[h] = id
	}
	return out, rows.Err()
}

// CustodyState is the highest checkpoint of a custody log that this
// database has seen, by the log's origin.
type CustodyState struct {
	Origin     string
	Size       int64
	Root       string
	Checkpoint []byte
}

// CustodyStates returns the state of every custody log the database has
// recorded, by origin: none before the first start with evidence, then
// the one log its evidence is recorded in.
func (tx *Tx) CustodyStates(ctx context.Context) ([]CustodyState, error) {
	return queryAll(ctx, tx, "custody state", `SELECT origin, size, root, checkpoint FROM custody_state ORDER BY origin`, nil,
		func(row scanner) (CustodyState, error) {
			var s CustodyState
			err := row.Scan(&s.Origin, &s.Size, &s.Root, &s.Checkpoint)
			return s, err
		})
}

// SaveCustodyState records a checkpoint of the log s.Origin if it is
// larger than the one recorded.
func (tx *Tx) SaveCustodyState(ctx context.Context, s CustodyState) error {
	if s.Origin == "" {
		return errors.New("store: a custody state needs its log's origin")
	}
	_, err := tx.exec(ctx, `INSERT INTO custody_state (origin, size, root, checkpoint, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (origin) DO UPDATE SET size = excluded.size, root = excluded.root, checkpoint = excluded.checkpoint,
		updated_at = excluded.updated_at WHERE custody_state.size < excluded.size`, s.Origin, s.Size, s.Root, s.Checkpoint, tx.timeArg())
	if err != nil {
		return fmt.Errorf("store: save custody state: %w", err)
	}
	return nil
}

func dateArg(d *casefile.Date) any {
	if d == nil {
		return nil
	}
	return d.String()
}

func dateCol(s sql.NullString) (*casefile.Date, error) {
	if !s.Valid {
		return nil, nil
	}
	d, err := casefile.ParseDate(s.String)
	if err != nil {
		return nil, fmt.Errorf("store: bad date %q: %w", s.String, err)
	}
	return &d, nil
}

func idArg(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// AllCustodyEvents returns every event recorded in the log origin, by
// log index.
func (tx *Tx) AllCustodyEvents(ctx context.Context, origin string) ([]CustodyEventRecord, error) {
	return tx.queryCustodyEvents(ctx, `SELECT `+custodyEventColumns+` FROM custody_events WHERE origin = ? ORDER BY log_index`, origin)
}

// EvidenceCommitments returns the commitment of every committed item of
// the case, by item ID: what a description names an item it links to by.
func (tx *Tx) EvidenceCommitments(ctx context.Context, caseID int64) (map[int64]string, error) {
	rows, err := tx.query(ctx, `SELECT id, commitment FROM evidence WHERE case_id = ? AND state = 'committed'`, caseID)
	if err != nil {
		return nil, fmt.Errorf("store: evidence commitments: %w", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var c string
		if err := rows.Scan(&id, &c); err != nil {
			return nil, fmt.Errorf("store: evidence commitments: %w", err)
		}
		out[id] = c
	}
	return out, rows.Err()
}

// EvidenceCases returns the IDs of the cases that hold committed items.
func (tx *Tx) EvidenceCases(ctx context.Context) ([]int64, error) {
	rows, err := tx.query(ctx, `SELECT DISTINCT case_id FROM evidence WHERE state = 'committed' ORDER BY case_id`)
	if err != nil {
		return nil, fmt.Errorf("store: evidence cases: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: evidence cases: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// HoldCaseKey locks the case's key record for the transaction — a shred
// waits for it — and returns ECONFLICT if the key is already destroyed.
func (tx *Tx) HoldCaseKey(ctx context.Context, caseID int64) error {
	var wrapped []byte
	err := tx.queryRow(ctx, `SELECT wrapped FROM case_keys WHERE case_id = ?`+tx.db.dialect.forUpdate, caseID).Scan(&wrapped)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return sanctuary.Errorf(sanctuary.ENOTFOUND, "the case has no key yet")
	case err != nil:
		return fmt.Errorf("store: hold the case key: %w", err)
	case wrapped == nil:
		return sanctuary.Errorf(sanctuary.ECONFLICT, "the case's key was destroyed")
	}
	return nil
}
