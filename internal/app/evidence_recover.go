package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// RecoveryReport says what RecoverEvidence did with interrupted ingests.
type RecoveryReport struct {
	Completed int `json:"completed"` // the ingest event was in the log: the item is now visible
	Removed   int `json:"removed"`   // it was not: the item and its object are gone
}

// RecoverEvidence finishes or undoes ingests that were interrupted between
// storing the object and committing the item: an item whose ingest event
// reached the log is completed; one whose event did not is removed with
// its object. Either way nothing half-made stays.
func (a *App) RecoverEvidence(ctx context.Context) (RecoveryReport, error) {
	var rep RecoveryReport
	ev, err := a.evidence()
	if err != nil {
		return rep, err
	}
	var pending []store.PendingEvidence
	if err := a.db.View(ctx, func(tx *store.Tx) (err error) { pending, err = tx.PendingEvidence(ctx); return err }); err != nil {
		return rep, err
	}
	if len(pending) == 0 {
		return rep, nil
	}
	found, err := findEntries(ctx, ev, pending)
	if err != nil {
		return rep, err
	}
	for _, p := range pending {
		if idx, ok := found[string(p.Event)]; ok {
			rep.Completed++
			err = a.completePending(ctx, p, idx)
		} else {
			rep.Removed++
			err = a.removePending(ctx, ev, p)
		}
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// findEntries scans the log for the pending ingest events.
func findEntries(ctx context.Context, ev *Evidence, pending []store.PendingEvidence) (map[string]int64, error) {
	want := map[string]bool{}
	for _, p := range pending {
		want[string(p.Event)] = true
	}
	size, err := ev.Custody.Size(ctx)
	if err != nil {
		return nil, err
	}
	found := map[string]int64{}
	for i := uint64(0); i < size && len(found) < len(want); i++ {
		e, err := ev.Custody.Entry(ctx, i, size)
		if err != nil {
			return nil, err
		}
		if want[string(e)] {
			found[string(e)] = int64(i)
		}
	}
	return found, nil
}

func (a *App) completePending(ctx context.Context, p store.PendingEvidence, idx int64) error {
	e, err := custody.Parse(p.Event)
	if err != nil {
		return fmt.Errorf("app: pending item %d has a bad event: %w", p.ID, err)
	}
	return a.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CommitEvidence(ctx, p.ID, idx); err != nil {
			return err
		}
		rec := store.CustodyEventRecord{LogIndex: idx, CaseID: p.CaseID, EvidenceID: p.ID, Type: custody.Ingest,
			Hash: custody.Hash(p.Event), At: e.Time}
		if err := tx.InsertCustodyEvent(ctx, rec); err != nil {
			return err
		}
		c := casefile.Case{ID: p.CaseID}
		return record(ctx, tx, c, e.Actor, casefile.EventEvidenceAdded, casefile.EventDetail{EvidenceID: p.ID})
	})
}

func (a *App) removePending(ctx context.Context, ev *Evidence, p store.PendingEvidence) error {
	err := a.db.Update(ctx, func(tx *store.Tx) error { return tx.DeletePendingEvidence(ctx, p.ID) })
	if err != nil {
		return err
	}
	if ev.Store.Has(p.CipherSHA256) {
		return ev.Store.Remove(p.CipherSHA256)
	}
	return nil
}

// CheckCustody refuses a custody log older than the newest checkpoint this
// instance recorded (a log restored from an old backup, or replaced), or
// one that shows another tree at the same size; otherwise it records the
// log's current checkpoint. Start-up calls it.
func (a *App) CheckCustody(ctx context.Context) error {
	ev, err := a.evidence()
	if err != nil {
		return err
	}
	cp, err := ev.Custody.Checkpoint(ctx)
	if err != nil {
		return &sanctuary.Error{Code: sanctuary.EUNAVAILABLE, Message: "the custody log's checkpoint does not verify", Err: err}
	}
	root := base64.StdEncoding.EncodeToString(cp.Hash[:])
	return a.db.Update(ctx, func(tx *store.Tx) error {
		st, err := tx.CustodyState(ctx)
		if err != nil {
			return err
		}
		switch {
		case cp.N < st.Size:
			return sanctuary.Errorf(sanctuary.EUNAVAILABLE,
				"the custody log holds %d entries, but a checkpoint of %d entries was published: the log was rolled back (restored from an old backup?); refusing to use it", cp.N, st.Size)
		case cp.N == st.Size && st.Root != "" && st.Root != root && !bytes.Equal(st.Checkpoint, cp.Signed):
			return sanctuary.Errorf(sanctuary.EUNAVAILABLE,
				"the custody log shows another tree of the same size as the checkpoint it published: refusing to use it")
		}
		return tx.SaveCustodyState(ctx, store.CustodyState{Size: cp.N, Root: root, Checkpoint: cp.Signed})
	})
}
