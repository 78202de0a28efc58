package app

import (
	"context"
	"fmt"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/audit"
	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// AuditQuery selects entries of the audit trail. Zero fields do not filter.
type AuditQuery struct {
	Actor   string
	Case    string
	Action  string // an action, or a prefix ending in "." such as "auth."
	Outcome string
	From    time.Time
	To      time.Time
	// After continues a listing: entries after this sequence number.
	After int64
	Limit int
}

// AuditPage is entries oldest first; Next, if not 0, continues the listing.
type AuditPage struct {
	Entries []audit.Entry `json:"entries"`
	Next    int64         `json:"next,omitempty"`
}

// Max page size of the audit trail.
const MaxAuditPage = 10000

// Audit returns entries of the audit trail, to an auditor. Reading the
// trail is itself recorded in it.
func (a *App) Audit(ctx context.Context, q AuditQuery) (AuditPage, error) {
	if q.Limit == 0 {
		q.Limit = 500
	}
	if q.Limit < 1 || q.Limit > MaxAuditPage || q.After < 0 {
		return AuditPage{}, sanctuary.Invalid("the audit trail cannot be read", map[string]string{
			"limit": fmt.Sprintf("must be between 1 and %d", MaxAuditPage)})
	}
	var page AuditPage
	err := a.db.View(ctx, func(tx *store.Tx) (err error) {
		if _, err := a.allow(ctx, tx, ActAuditRead, "audit trail"); err != nil {
			return err
		}
		page.Entries, err = tx.AuditEntries(ctx, store.AuditFilter{Actor: q.Actor, CaseRef: q.Case, Action: q.Action,
			Outcome: q.Outcome, From: q.From, To: q.To, AfterSeq: q.After, Limit: q.Limit + 1})
		return err
	})
	if len(page.Entries) > q.Limit {
		page.Entries = page.Entries[:q.Limit]
		page.Next = page.Entries[q.Limit-1].Seq
	}
	return page, err
}

// AuditReport is what VerifyAudit found.
type AuditReport struct {
	audit.Report
	Head    int64 `json:"head"`
	Anchors int   `json:"anchors"`
}

// VerifyAudit checks the whole audit trail: every hash chains to the one
// before, no entry is missing, the head matches the last entry, and every
// anchor matches both its entry and the custody log.
func (a *App) VerifyAudit(ctx context.Context) (AuditReport, error) {
	var rep AuditReport
	// Not itself recorded: it reads no entry out, and recording it would
	// move the head it checks.
	if _, err := principalMay(ctx, ActAuditVerify); err != nil {
		return rep, err
	}
	var anchors []audit.Anchor
	var headHash string
	err := a.db.View(ctx, func(tx *store.Tx) (err error) {
		if rep.Head, headHash, err = tx.AuditHead(ctx); err != nil {
			return err
		}
		anchors, err = tx.AuditAnchors(ctx)
		return err
	})
	if err != nil {
		return rep, err
	}
	if a.ev != nil { // the log's anchors are the ones that count: rows can be deleted, log entries cannot
		logged, err := a.logAnchors(ctx)
		if err != nil {
			return rep, err
		}
		rep.Problems = append(rep.Problems, compareAnchors(anchors, logged)...)
		anchors = logged
	}
	rep.Anchors = len(anchors)
	prev, last, err := a.verifyChain(ctx, anchors, rep.Head, &rep.Report)
	if err != nil {
		return rep, err
	}
	if last != rep.Head || prev != headHash {
		rep.Problems = append(rep.Problems, fmt.Sprintf("the head says entry %d, the trail ends at entry %d", rep.Head, last))
	}
	for _, an := range anchors {
		if an.Seq > last {
			rep.Problems = append(rep.Problems, fmt.Sprintf("the custody log anchors entry %d, which the trail does not have", an.Seq))
		}
	}
	return rep, nil
}

// verifyChain reads the trail up to head in pages and checks it.
func (a *App) verifyChain(ctx context.Context, anchors []audit.Anchor, head int64, r *audit.Report) (prev string, last int64, err error) {
	for last < head {
		var es []audit.Entry
		err := a.db.View(ctx, func(tx *store.Tx) (err error) {
			es, err = tx.AuditEntries(ctx, store.AuditFilter{AfterSeq: last, Limit: MaxAuditPage})
			return err
		})
		if err != nil || len(es) == 0 {
			return prev, last, err
		}
		if es[0].Seq != last+1 {
			r.Problems = append(r.Problems, fmt.Sprintf("entries %d to %d are missing", last+1, es[0].Seq-1))
		}
		part := audit.Verify(prev, es, anchors)
		r.Entries += part.Entries
		r.Problems = append(r.Problems, part.Problems...)
		r.Anchored = max(r.Anchored, part.Anchored)
		prev, last = es[len(es)-1].Hash, es[len(es)-1].Seq
	}
	return prev, last, nil
}

// logAnchors reads every audit anchor the custody log holds.
func (a *App) logAnchors(ctx context.Context) ([]audit.Anchor, error) {
	size, err := a.ev.Custody.Size(ctx)
	if err != nil {
		return nil, fmt.Errorf("app: read the custody log: %w", err)
	}
	var out []audit.Anchor
	for i := uint64(0); i < size; i++ {
		b, err := a.ev.Custody.Entry(ctx, i, size)
		if err != nil {
			return nil, fmt.Errorf("app: read custody log entry %d: %w", i, err)
		}
		e, err := custody.Parse(b)
		if err != nil || e.Type != custody.Audit {
			continue
		}
		var seq int64
		if _, err := fmt.Sscanf(e.Detail, "audit trail head at entry %d", &seq); err != nil || e.Detail != anchorDetail(seq) {
			continue
		}
		out = append(out, audit.Anchor{Seq: seq, Hash: e.Object, LogIndex: int64(i), At: e.Time})
	}
	return out, nil
}

// compareAnchors reports anchors recorded in the database that the log
// lacks or holds differently, and anchors in the log that the database
// lost.
func compareAnchors(recorded, logged []audit.Anchor) []string {
	byIndex := map[int64]audit.Anchor{}
	for _, an := range logged {
		byIndex[an.LogIndex] = an
	}
	var problems []string
	for _, an := range recorded {
		l, ok := byIndex[an.LogIndex]
		if !ok || l.Seq != an.Seq || l.Hash != an.Hash {
			problems = append(problems, fmt.Sprintf("the anchor of entry %d does not match entry %d of the custody log", an.Seq, an.LogIndex))
		}
		delete(byIndex, an.LogIndex)
	}
	for _, l := range byIndex {
		problems = append(problems, fmt.Sprintf("the custody log anchors entry %d (log entry %d), but the database has lost that anchor", l.Seq, l.LogIndex))
	}
	return problems
}

func anchorDetail(seq int64) string { return fmt.Sprintf("audit trail head at entry %d", seq) }

// AnchorAudit writes the audit trail's head into the custody log, where
// the log's signed checkpoints fix it: after that, nobody — not even
// someone who can write to the database — can change an entry up to it
// without the change being found. It does nothing if there is no new
// entry since the last anchor, and reports whether it anchored.
func (a *App) AnchorAudit(ctx context.Context) (audit.Anchor, bool, error) {
	ev, err := a.evidence()
	if err != nil {
		return audit.Anchor{}, false, err
	}
	if _, err := principalMay(ctx, ActAuditVerify); err != nil {
		return audit.Anchor{}, false, err
	}
	var an audit.Anchor
	var fresh bool
	err = a.db.View(ctx, func(tx *store.Tx) error {
		seq, hash, err := tx.AuditHead(ctx)
		if err != nil {
			return err
		}
		anchors, err := tx.AuditAnchors(ctx)
		if err != nil {
			return err
		}
		an = audit.Anchor{Seq: seq, Hash: hash}
		fresh = seq > 0 && (len(anchors) == 0 || anchors[len(anchors)-1].Seq < seq)
		return nil
	})
	if err != nil || !fresh {
		return an, false, err
	}
	e := custody.Event{Type: custody.Audit, Time: a.eventTime(), Case: custody.AuditTag, Object: an.Hash, Description: "-",
		Actor: "sanctuary", Prev: "-", Detail: anchorDetail(an.Seq)}
	idx, _, err := ev.Custody.Append(ctx, e)
	if err != nil {
		return an, false, fmt.Errorf("app: anchor the audit trail: %w", err)
	}
	an.LogIndex = int64(idx)
	err = a.db.Update(ctx, func(tx *store.Tx) error { return tx.InsertAuditAnchor(ctx, an) })
	return an, err == nil, err
}
