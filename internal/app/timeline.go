package app

import (
	"context"
	"fmt"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// Timeline page sizes.
const (
	DefaultTimelinePage = 200
	MaxTimelinePage     = 1000
)

// TimelinePage is a run of a case's events, oldest first. To read on, ask
// again with After set to the ID of the last event; an empty page is the
// end.
type TimelinePage struct {
	Events []casefile.Event `json:"events"`
}

// Timeline returns up to limit events of the case after the event with ID
// after (0: from the start). limit 0 means DefaultTimelinePage.
func (a *App) Timeline(ctx context.Context, ref string, after int64, limit int) (TimelinePage, error) {
	errs := map[string]string{}
	if after < 0 {
		errs["after"] = "must not be negative"
	}
	if limit == 0 {
		limit = DefaultTimelinePage
	} else if limit < 1 || limit > MaxTimelinePage {
		errs["limit"] = fmt.Sprintf("must be between 1 and %d", MaxTimelinePage)
	}
	if len(errs) > 0 {
		return TimelinePage{}, sanctuary.Invalid("the timeline cannot be read", errs)
	}
	var p TimelinePage
	err := a.db.View(ctx, func(tx *store.Tx) error {
		c, err := a.openCase(ctx, tx, ref, ActCaseRead, "timeline")
		if err != nil {
			return err
		}
		p.Events, err = tx.Timeline(ctx, c.ID, after, limit)
		return err
	})
	return p, err
}
