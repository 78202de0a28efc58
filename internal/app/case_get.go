package app

import (
	"context"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// GetCase returns the case record. It returns ENOTFOUND if there is no such
// case.
func (a *App) GetCase(ctx context.Context, ref string) (casefile.Case, error) {
	var c casefile.Case
	err := a.db.View(ctx, func(tx *store.Tx) (err error) {
		c, err = a.openCase(ctx, tx, ref, ActCaseRead, "case record")
		return err
	})
	return c, err
}

// CaseFile is everything about one case: the record, the current facts, the
// notes and the timeline, or its latest part.
type CaseFile struct {
	Case     casefile.Case    `json:"case"`
	Facts    []casefile.Fact  `json:"facts"`
	Notes    []casefile.Note  `json:"notes"`
	Timeline []casefile.Event `json:"timeline"`
	// OlderEvents is true when the timeline holds events before the first
	// one here; read them with Timeline.
	OlderEvents bool `json:"older_events"`
}

// LoadCase returns the case file in one consistent read, with the case's
// latest events (all of them if events <= 0): a case page shows the recent
// history and pages back through the rest. It returns ENOTFOUND if there is
// no such case.
func (a *App) LoadCase(ctx context.Context, ref string, events int) (CaseFile, error) {
	var cf CaseFile
	err := a.db.View(ctx, func(tx *store.Tx) (err error) {
		c, err := a.openCase(ctx, tx, ref, ActCaseRead, "case file")
		if err != nil {
			return err
		}
		cf, err = loadCaseFile(ctx, tx, c, events)
		return err
	})
	return cf, err
}

func loadCaseFile(ctx context.Context, tx *store.Tx, c casefile.Case, events int) (cf CaseFile, err error) {
	cf.Case = c
	id := cf.Case.ID
	if cf.Facts, cf.Notes, err = factsAndNotes(ctx, tx, cf.Case); err != nil {
		return cf, err
	}
	if events <= 0 {
		cf.Timeline, err = tx.Timeline(ctx, id, 0, 0)
		return cf, err
	}
	cf.Timeline, cf.OlderEvents, err = tx.LatestEvents(ctx, id, events)
	return cf, err
}

// factsAndNotes reads the case's facts and notes; once its key is
// destroyed there are none to read.
func factsAndNotes(ctx context.Context, tx *store.Tx, c casefile.Case) ([]casefile.Fact, []casefile.Note, error) {
	if c.KeyDestroyed {
		return []casefile.Fact{}, []casefile.Note{}, nil
	}
	facts, err := tx.Facts(ctx, c.ID)
	if err != nil {
		return nil, nil, err
	}
	notes, err := tx.Notes(ctx, c.ID)
	return facts, notes, err
}
