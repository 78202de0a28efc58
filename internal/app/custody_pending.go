package app

import (
	"context"
	"fmt"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// pendingCaseEvent records, in the transaction of the deed it records, a
// custody event about the case as a whole that must reach the log even if
// the process dies before appending it (a shred: its keys are gone once
// the transaction commits). appendPending appends it afterwards, or
// RecoverCaseEvents does on the next start.
func (a *App) pendingCaseEvent(ctx context.Context, tx *store.Tx, ev *Evidence, c casefile.Case, tag, typ, who, detail string) (store.PendingCustodyEvent, error) {
	e := custody.Event{Type: typ, Time: a.eventTime(), Case: tag, Object: "-", Description: "-", Actor: who, Prev: "-", Detail: detail}
	encoded, err := e.Marshal()
	if err != nil {
		return store.PendingCustodyEvent{}, err
	}
	p := store.PendingCustodyEvent{Origin: ev.origin(), CaseID: c.ID, Type: typ, Event: encoded}
	return p, tx.InsertPendingCustodyEvent(ctx, &p)
}

// appendPending appends a pending case event to the log and records it,
// holding it meanwhile so that a recovery in another process does not
// append it too; if one already did, there is nothing left to do.
func (a *App) appendPending(ctx context.Context, ev *Evidence, p store.PendingCustodyEvent) error {
	return a.db.Update(ctx, func(tx *store.Tx) error {
		err := tx.LockPendingCustodyEvent(ctx, p.ID)
		if sanctuary.ErrorCode(err) == sanctuary.ENOTFOUND {
			return nil
		}
		if err != nil {
			return err
		}
		return a.logPending(ctx, tx, ev, p, -1)
	})
}

// logPending appends the event (unless the log holds it at found, ≥ 0),
// records it and removes it from the pending ones.
func (a *App) logPending(ctx context.Context, tx *store.Tx, ev *Evidence, p store.PendingCustodyEvent, found int64) error {
	e, err := custody.Parse(p.Event)
	if err != nil {
		return fmt.Errorf("app: pending custody event %d: %w", p.ID, err)
	}
	idx := found
	if idx < 0 {
		i, _, err := ev.Custody.Append(ctx, e)
		if err != nil {
			return fmt.Errorf("app: log the %s: %w", p.Type, err)
		}
		idx = int64(i)
	}
	rec := store.CustodyEventRecord{Origin: p.Origin, LogIndex: idx, CaseID: p.CaseID, Type: p.Type, Hash: custody.Hash(p.Event), At: e.Time}
	if err := tx.InsertCustodyEvent(ctx, rec); err != nil {
		return err
	}
	return tx.DeletePendingCustodyEvent(ctx, p.ID)
}

// RecoverCaseEvents appends the case events a crash left pending (a shred
// that committed but was not logged), unless the log already holds them,
// and returns how many it settled. Those another process is appending are
// left to it.
func (a *App) RecoverCaseEvents(ctx context.Context) (int, error) {
	ev, err := a.evidence()
	if err != nil {
		return 0, err
	}
	n := 0
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		pending, err := tx.ClaimPendingCustodyEvents(ctx, ev.origin())
		if err != nil || len(pending) == 0 {
			return err
		}
		size, err := ev.Custody.Size(ctx)
		if err != nil {
			return err
		}
		events := make([][]byte, len(pending))
		for i, p := range pending {
			events[i] = p.Event
		}
		found, err := findEntries(ctx, ev, events, 0, size)
		if err != nil {
			return err
		}
		for _, p := range pending {
			idx, ok := found[string(p.Event)]
			if !ok {
				idx = -1
			}
			if err := a.logPending(ctx, tx, ev, p, idx); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
