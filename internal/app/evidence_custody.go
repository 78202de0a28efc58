package app

import (
	"context"
	"fmt"

	"github.com/sanctuary-platform/sanctuary"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// logItemEvent appends a custody event for an item and records it, with
// extra writes in the same transaction. The item is locked from reading
// its latest event until the new one is recorded — across servers too —
// so that concurrent accesses (a video player's parallel range requests)
// still form one chain. The log entry comes first: if recording fails
// afterwards, the log holds one event more than the database knows, which
// fsck reports; it never holds one less.
func (a *App) logItemEvent(ctx context.Context, ev *Evidence, c casefile.Case, tag string, it *evidence.Item,
	typ, who, detail string, also func(tx *store.Tx) error) error {
	return a.db.Update(ctx, func(tx *store.Tx) error {
		prev, updated, err := tx.LockEvidence(ctx, c.ID, it.ID)
		if err != nil {
			return err
		}
		e := custody.Event{Type: typ, Time: a.eventTime(), Case: tag, Object: it.Commitment, Description: "-",
			Actor: who, Prev: prev, Detail: detail}
		if typ == custody.Annotate {
			if !updated.Equal(it.UpdatedAt) { // an annotate writes the whole description back
				return changedMeanwhile(it.ID)
			}
			e.Description = it.DescriptionCommitment // set by the caller, with a fresh salt
		}
		idx, encoded, err := ev.Custody.Append(ctx, e)
		if err != nil {
			return fmt.Errorf("app: log the %s: %w", typ, err)
		}
		it.LastEvent = custody.Hash(encoded)
		if err := tx.InsertCustodyEvent(ctx, store.CustodyEventRecord{Origin: ev.origin(), LogIndex: int64(idx), CaseID: c.ID,
			EvidenceID: it.ID, Type: typ, Hash: it.LastEvent, At: e.Time}); err != nil {
			return err
		}
		if err := tx.SetLastEvent(ctx, it.ID, it.LastEvent); err != nil {
			return err
		}
		if also != nil {
			return also(tx)
		}
		return nil
	})
}

// logCaseEvent appends a custody event about the case as a whole.
func (a *App) logCaseEvent(ctx context.Context, ev *Evidence, c casefile.Case, tag, typ, who, detail string) (int64, error) {
	e := custody.Event{Type: typ, Time: a.eventTime(), Case: tag, Object: "-", Description: "-", Actor: who, Prev: "-", Detail: detail}
	idx, encoded, err := ev.Custody.Append(ctx, e)
	if err != nil {
		return 0, fmt.Errorf("app: log the %s: %w", typ, err)
	}
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		return tx.InsertCustodyEvent(ctx, store.CustodyEventRecord{Origin: ev.origin(), LogIndex: int64(idx), CaseID: c.ID, Type: typ,
			Hash: custody.Hash(encoded), At: e.Time})
	})
	return int64(idx), err
}

// changedMeanwhile is the refusal of an edit whose item's description was
// written after the edit read it: writing it back would undo that change.
func changedMeanwhile(id int64) error {
	return sanctuary.Errorf(sanctuary.ECONFLICT,
		"evidence item %d was changed by someone else while this change was made; reload it and try again", id)
}
