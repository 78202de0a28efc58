package app

import (
	"context"
	"fmt"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// MaxReasonLen bounds the reason given for a transition, in bytes.
const MaxReasonLen = 2000

// Transition asks to move a case to another status.
type Transition struct {
	To     casefile.Status
	Reason string
	// Version, if set, must be the case's current version.
	Version *int64
}

func (t Transition) valid() map[string]string {
	errs := map[string]string{}
	if !t.To.Valid() {
		errs["to"] = "must be one of: " + casefile.JoinStatuses(casefile.Statuses())
	}
	if err := casefile.CheckText(t.Reason, MaxReasonLen); err != nil {
		errs["reason"] = err.Error()
	}
	return errs
}

// TransitionCase moves the case to t.To if the workflow allows it from the
// current status. Otherwise it returns ECONFLICT naming the statuses that
// are allowed.
func (a *App) TransitionCase(ctx context.Context, ref string, t Transition) (casefile.Case, error) {
	who, err := actor(ctx)
	if err != nil {
		return casefile.Case{}, err
	}
	if errs := t.valid(); len(errs) > 0 {
		return casefile.Case{}, sanctuary.Invalid("the case cannot change status", errs)
	}
	var c casefile.Case
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		if c, err = a.openCase(ctx, tx, ref, ActCaseUpdate, "status"); err != nil {
			return err
		}
		if err := checkVersion(c, t.Version); err != nil {
			return err
		}
		from := c.Status
		if !from.CanMoveTo(t.To) {
			return refusedTransition(from, t.To)
		}
		if err := tx.SetStatus(ctx, &c, t.To); err != nil {
			return err
		}
		return record(ctx, tx, c, who, casefile.EventStatusChanged,
			casefile.EventDetail{From: from, To: t.To, Reason: t.Reason})
	})
	return c, err
}

func refusedTransition(from, to casefile.Status) error {
	allowed := casefile.JoinStatuses(from.Next())
	return &sanctuary.Error{
		Code:    sanctuary.ECONFLICT,
		Message: fmt.Sprintf("a case in status %s cannot move to %s; it can move to: %s", from, to, allowed),
		Fields:  map[string]string{"to": "must be one of: " + allowed},
	}
}
