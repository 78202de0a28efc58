package app

import (
	"context"
	"fmt"
	"github.com/sanctuary-platform/sanctuary/internal/audit"
	"time"

	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// FsckReport is what Fsck found and did.
type FsckReport struct {
	Objects          int            `json:"objects"`
	Items            int            `json:"items"`
	Recovered        RecoveryReport `json:"recovered"`
	OrphansRemoved   int            `json:"orphans_removed"`
	TempRemoved      int            `json:"temp_removed"`
	LogSize          int64          `json:"log_size"`
	EventsChecked    int            `json:"events_checked"`
	UnrecordedEvents int64          `json:"unrecorded_events"`
	Problems         []string       `json:"problems,omitempty"`
}

// OrphanGrace is how old an unreferenced object must be before Fsck removes
// it: younger ones may belong to an ingest still under way elsewhere.
const OrphanGrace = time.Hour

// Fsck checks the vault and the custody log against the database:
// interrupted ingests older than grace are completed or undone (see
// RecoverEvidence), temporary files and unreferenced objects older than
// grace are removed, every item's object
// must exist (and, with deep, hash to its name), the log's checkpoint must
// verify and not be older than the one recorded, and every recorded custody
// event must be at its index in the log.
func (a *App) Fsck(ctx context.Context, grace time.Duration, deep bool) (FsckReport, error) {
	var rep FsckReport
	if _, err := a.permit(ctx, ActMaintain, "vault and custody log"); err != nil {
		return rep, err
	}
	ev, err := a.evidence()
	if err != nil {
		return rep, err
	}
	if err := a.CheckCustody(ctx); err != nil {
		rep.Problems = append(rep.Problems, err.Error())
		return rep, nil
	}
	if rep.Recovered, err = a.RecoverEvidence(ctx, grace); err != nil {
		return rep, err
	}
	if rep.TempRemoved, err = ev.Store.Sweep(grace); err != nil {
		return rep, err
	}
	if err := a.checkObjects(ctx, ev, grace, deep, &rep); err != nil {
		return rep, err
	}
	return rep, a.checkEvents(ctx, ev, &rep)
}

func (a *App) checkObjects(ctx context.Context, ev *Evidence, grace time.Duration, deep bool, rep *FsckReport) error {
	var items map[string]int64
	if err := a.db.View(ctx, func(tx *store.Tx) (err error) { items, err = tx.CipherHashes(ctx); return err }); err != nil {
		return err
	}
	objs, err := ev.Store.List()
	if err != nil {
		return err
	}
	rep.Objects, rep.Items = len(objs), len(items)
	onDisk := map[string]bool{}
	for _, h := range objs {
		onDisk[h] = true
		if _, ok := items[h]; !ok && ev.Store.Age(h) >= grace {
			if err := ev.Store.Remove(h); err == nil {
				rep.OrphansRemoved++
			}
			continue
		}
		if deep {
			if err := ev.Store.Check(h); err != nil {
				rep.Problems = append(rep.Problems, err.Error())
			}
		}
	}
	for h, id := range items {
		if !onDisk[h] {
			rep.Problems = append(rep.Problems, fmt.Sprintf("evidence item %d: its object %s is missing", id, h[:12]))
		}
	}
	return nil
}

// checkEvents compares every recorded custody event with the log.
func (a *App) checkEvents(ctx context.Context, ev *Evidence, rep *FsckReport) error {
	size, err := ev.Custody.Size(ctx)
	if err != nil {
		return err
	}
	rep.LogSize = int64(size)
	var recs []store.CustodyEventRecord
	if err := a.db.View(ctx, func(tx *store.Tx) (err error) { recs, err = tx.AllCustodyEvents(ctx, ev.origin()); return err }); err != nil {
		return err
	}
	for _, r := range recs {
		rep.EventsChecked++
		b, err := ev.Custody.Entry(ctx, uint64(r.LogIndex), size)
		if err != nil || custody.Hash(b) != r.Hash {
			rep.Problems = append(rep.Problems, fmt.Sprintf("custody event %d does not match the log", r.LogIndex))
		}
	}
	var anchors []audit.Anchor
	if err := a.db.View(ctx, func(tx *store.Tx) (err error) { anchors, err = tx.AuditAnchors(ctx); return err }); err != nil {
		return err
	}
	rep.UnrecordedEvents = int64(size) - int64(len(recs)) - int64(len(anchors))
	return nil
}
