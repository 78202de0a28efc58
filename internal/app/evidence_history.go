package app

import (
	"context"
	"fmt"
	"time"

	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// CustodyEntry is one event of an item's custody history, as the log
// holds it.
type CustodyEntry struct {
	Index  int64     `json:"index"`
	Type   string    `json:"type"`
	Time   time.Time `json:"time"`
	Actor  string    `json:"actor"`
	Detail string    `json:"detail,omitempty"`
}

// EvidenceCustody returns an item's custody history from the log, oldest
// first.
func (a *App) EvidenceCustody(ctx context.Context, ref string, id int64) ([]CustodyEntry, error) {
	ev, err := a.evidence()
	if err != nil {
		return nil, err
	}
	var recs []store.CustodyEventRecord
	err = a.db.View(ctx, func(tx *store.Tx) error {
		c, err := a.openCase(ctx, tx, ref, ActEvidenceRead, fmt.Sprintf("evidence %d custody", id))
		if err != nil {
			return err
		}
		if _, err := tx.EvidenceByID(ctx, c.ID, id); err != nil {
			return err
		}
		recs, err = tx.CustodyEvents(ctx, c.ID, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	size, err := ev.Custody.Size(ctx)
	if err != nil {
		return nil, err
	}
	out := []CustodyEntry{}
	for _, r := range recs {
		b, err := ev.Custody.Entry(ctx, uint64(r.LogIndex), size)
		if err != nil {
			return nil, err
		}
		e, err := custody.Parse(b)
		if err != nil {
			return nil, err
		}
		out = append(out, CustodyEntry{Index: r.LogIndex, Type: e.Type, Time: e.Time, Actor: e.Actor, Detail: e.Detail})
	}
	return out, nil
}
