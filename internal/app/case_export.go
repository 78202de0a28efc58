package app

import (
	"context"
	"time"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// ExportFormat names the version of the case export document
// (docs/case-export.md).
const ExportFormat = "sanctuary-case-export/1"

// Export is a whole case as one JSON document: record, current facts with
// their full history, notes and timeline.
type Export struct {
	Format      string           `json:"format"`
	ExportedAt  time.Time        `json:"exported_at"`
	ExportedBy  string           `json:"exported_by"`
	Case        casefile.Case    `json:"case"`
	Facts       []casefile.Fact  `json:"facts"`
	FactHistory []casefile.Fact  `json:"fact_history"`
	Notes       []casefile.Note  `json:"notes"`
	Timeline    []casefile.Event `json:"timeline"`
}

// ExportCase returns the whole case. Exporting is itself recorded on the
// case's timeline (and that entry is the last one in the export), because
// client data leaves Sanctuary with it.
func (a *App) ExportCase(ctx context.Context, ref string) (Export, error) {
	who, err := actor(ctx)
	if err != nil {
		return Export{}, err
	}
	x := Export{Format: ExportFormat, ExportedBy: who}
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		c, err := a.openCase(ctx, tx, ref, ActCaseExport, "case file")
		if err != nil {
			return err
		}
		if err := record(ctx, tx, c, who, casefile.EventCaseExported, casefile.EventDetail{}); err != nil {
			return err
		}
		cf, err := loadCaseFile(ctx, tx, c, 0)
		if err != nil {
			return err
		}
		x.ExportedAt, x.Case, x.Facts, x.Notes, x.Timeline = tx.Now(), cf.Case, cf.Facts, cf.Notes, cf.Timeline
		x.FactHistory, err = tx.FactHistory(ctx, c.ID, "")
		return err
	})
	return x, err
}
