package app

import (
	"context"
	"fmt"
	"time"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// RecoveryReport says what RecoverEvidence did with interrupted ingests.
type RecoveryReport struct {
	Completed int `json:"completed"` // the ingest event was in the log: the item is now visible
	Removed   int `json:"removed"`   // it was not: the item and its object are gone
	// CaseEvents are the case events (shreds) whose deed was committed but
	// whose custody entry a crash had kept from the log: now in the log.
	CaseEvents int `json:"case_events"`
}

// recoveryLock is the database lock that lets one process at a time
// recover interrupted ingests.
const recoveryLock = "evidence recovery"

// RecoverEvidence finishes or undoes ingests that were interrupted between
// storing the object and committing the item: an item whose ingest event
// reached the log is completed at once; one whose event did not is removed
// with its object once it is older than grace. Either way nothing
// half-made stays, and an ingest whose event is logged is never left
// invisible for longer than it takes a process to start.
//
// It never touches an ingest that is still under way, in this process or
// another. An ingest holds its pending item locked from just before it
// appends the ingest event until it commits the item (see logIngest),
// however long that takes, and recovery passes over a locked item. Before
// that, the item is unlocked only for the moment between recording it and
// locking it, which the grace period covers: an unlocked item without its
// event in the log and older than grace belongs to a process that died (or
// hung — if it wakes, it finds its item gone and fails without logging
// it). An unlocked item with its event in the log can only belong to one
// that died after appending. Only one process recovers
// at a time; another waits for it and then finds the work done.
//
// It then appends the case events a crash left pending (RecoverCaseEvents).
func (a *App) RecoverEvidence(ctx context.Context, grace time.Duration) (RecoveryReport, error) {
	rep, err := a.recoverIngests(ctx, grace)
	if err != nil {
		return rep, err
	}
	rep.CaseEvents, err = a.RecoverCaseEvents(ctx)
	return rep, err
}

func (a *App) recoverIngests(ctx context.Context, grace time.Duration) (RecoveryReport, error) {
	ev, err := a.evidence()
	if err != nil {
		return RecoveryReport{}, err
	}
	// Every pending item is looked for in the log; only those older than
	// the grace period may be undone (see settle).
	now := a.db.Now()
	cutoff := now.Add(-grace)
	var stale []store.PendingEvidence
	if err := a.db.View(ctx, func(tx *store.Tx) (err error) { stale, err = tx.PendingEvidence(ctx, now); return err }); err != nil {
		return RecoveryReport{}, err
	}
	if len(stale) == 0 {
		return RecoveryReport{}, nil
	}
	// The log is searched before the lock is taken, so that the lock is
	// held for moments only: an entry found stays found (the log only
	// grows), and what was appended meanwhile is searched under the lock.
	size, err := ev.Custody.Size(ctx)
	if err != nil {
		return RecoveryReport{}, err
	}
	found, err := findEntries(ctx, ev, encodings(stale), 0, size)
	if err != nil {
		return RecoveryReport{}, err
	}
	var rep RecoveryReport
	var undone []string
	err = a.db.Update(ctx, func(tx *store.Tx) (err error) {
		rep, undone, err = a.settle(ctx, tx, ev, now, cutoff, stale, size, found)
		return err
	})
	if err != nil {
		return RecoveryReport{}, err
	}
	// After the commit: a crash in between leaves an unreferenced object,
	// which fsck removes once it is older than the grace period.
	for _, h := range undone {
		if ev.Store.Has(h) {
			if err := ev.Store.Remove(h); err != nil {
				return rep, err
			}
		}
	}
	return rep, nil
}

// settle takes the recovery lock, claims the pending items no ingest
// holds, searches the log for what was appended since the first search,
// and settles each: an item whose ingest event is in the log is completed
// at once, whatever its age — an ingest appends only while it holds its
// item, so an unheld item with its event logged belongs to a process that
// died between the append and the commit; an item whose event is not in
// the log is deleted only once it is older than cutoff (its ingest may be
// between recording it and holding it). It returns the objects of the
// deleted ones, to be removed once the transaction is committed.
func (a *App) settle(ctx context.Context, tx *store.Tx, ev *Evidence, now, cutoff time.Time, stale []store.PendingEvidence,
	size uint64, found map[string]int64) (RecoveryReport, []string, error) {
	var rep RecoveryReport
	var undone []string
	if err := tx.Lock(ctx, recoveryLock); err != nil {
		return rep, nil, err
	}
	claimed, err := tx.ClaimPendingEvidence(ctx, now)
	if err != nil {
		return rep, nil, err
	}
	if err := ev.fault("recovering"); err != nil {
		return rep, nil, err
	}
	searched := map[int64]bool{}
	for _, p := range stale {
		searched[p.ID] = true
	}
	if err := searchAgain(ctx, ev, claimed, searched, size, found); err != nil {
		return rep, nil, err
	}
	for _, p := range claimed {
		idx, ok := found[string(p.Event)]
		switch {
		case ok:
			rep.Completed++
			err = a.completePending(ctx, tx, ev, p, idx)
		case p.CreatedAt.Before(cutoff):
			rep.Removed++
			undone = append(undone, p.ObjectID)
			err = tx.DeletePendingEvidence(ctx, p.ID)
		}
		if err != nil {
			return rep, nil, err
		}
	}
	return rep, undone, nil
}

// searchAgain adds to found the entries of the claimed items that were
// appended after the first search (up to size), and of items that became
// stale since, which the first search did not look for.
func searchAgain(ctx context.Context, ev *Evidence, claimed []store.PendingEvidence, searched map[int64]bool,
	size uint64, found map[string]int64) error {
	var want []store.PendingEvidence
	from := size
	for _, p := range claimed {
		if _, ok := found[string(p.Event)]; ok {
			continue
		}
		want = append(want, p)
		if !searched[p.ID] {
			from = 0
		}
	}
	if len(want) == 0 {
		return nil
	}
	now, err := ev.Custody.Size(ctx)
	if err != nil {
		return err
	}
	more, err := findEntries(ctx, ev, encodings(want), from, now)
	for k, v := range more {
		found[k] = v
	}
	return err
}

// findEntries searches the log's entries from..to for the encoded events
// (pending ingests, pending case events), and returns where it found them.
func findEntries(ctx context.Context, ev *Evidence, events [][]byte, from, to uint64) (map[string]int64, error) {
	want := map[string]bool{}
	for _, e := range events {
		want[string(e)] = true
	}
	found := map[string]int64{}
	for i := from; i < to && len(found) < len(want); i++ {
		e, err := ev.Custody.Entry(ctx, i, to)
		if err != nil {
			return nil, err
		}
		if want[string(e)] {
			found[string(e)] = int64(i)
		}
	}
	return found, nil
}

func encodings(pending []store.PendingEvidence) [][]byte {
	out := make([][]byte, len(pending))
	for i, p := range pending {
		out[i] = p.Event
	}
	return out
}

func (a *App) completePending(ctx context.Context, tx *store.Tx, ev *Evidence, p store.PendingEvidence, idx int64) error {
	e, err := custody.Parse(p.Event)
	if err != nil {
		return fmt.Errorf("app: pending item %d has a bad event: %w", p.ID, err)
	}
	if err := tx.CommitEvidence(ctx, p.ID, idx); err != nil {
		return err
	}
	rec := store.CustodyEventRecord{Origin: ev.origin(), LogIndex: idx, CaseID: p.CaseID, EvidenceID: p.ID, Type: custody.Ingest,
		Hash: custody.Hash(p.Event), At: e.Time}
	if err := tx.InsertCustodyEvent(ctx, rec); err != nil {
		return err
	}
	c := casefile.Case{ID: p.CaseID}
	return record(ctx, tx, c, e.Actor, casefile.EventEvidenceAdded, casefile.EventDetail{EvidenceID: p.ID})
}
