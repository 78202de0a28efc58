package app

import (
	"context"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// AddDeadline sets a deadline on the case: a due date and what is due.
func (a *App) AddDeadline(ctx context.Context, ref string, due casefile.Date, label string) (casefile.Deadline, error) {
	who, err := actor(ctx)
	if err != nil {
		return casefile.Deadline{}, err
	}
	if errs := casefile.ValidDeadline(due, label); len(errs) > 0 {
		return casefile.Deadline{}, sanctuary.Invalid("the deadline cannot be set", errs)
	}
	d := casefile.Deadline{Due: due, Label: label, CreatedBy: who}
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		c, err := a.openCase(ctx, tx, ref, ActCaseUpdate, "deadline")
		if err != nil {
			return err
		}
		if err := tx.InsertDeadline(ctx, c.ID, &d); err != nil {
			return err
		}
		if err := record(ctx, tx, c, who, casefile.EventDeadlineSet, casefile.EventDetail{DeadlineID: d.ID, Due: due.String()}); err != nil {
			return err
		}
		return tx.TouchCase(ctx, &c)
	})
	return d, err
}

// CompleteDeadline marks one of the case's deadlines done.
func (a *App) CompleteDeadline(ctx context.Context, ref string, id int64) error {
	who, err := actor(ctx)
	if err != nil {
		return err
	}
	return a.db.Update(ctx, func(tx *store.Tx) error {
		c, err := a.openCase(ctx, tx, ref, ActCaseUpdate, "deadline")
		if err != nil {
			return err
		}
		due, err := tx.CompleteDeadline(ctx, c.ID, id, who)
		if err != nil {
			return err
		}
		if err := record(ctx, tx, c, who, casefile.EventDeadlineDone, casefile.EventDetail{DeadlineID: id, Due: due.String()}); err != nil {
			return err
		}
		return tx.TouchCase(ctx, &c)
	})
}

// Deadlines returns the case's deadlines by due date, done ones included.
func (a *App) Deadlines(ctx context.Context, ref string) ([]casefile.Deadline, error) {
	var out []casefile.Deadline
	err := a.db.View(ctx, func(tx *store.Tx) error {
		c, err := a.openCase(ctx, tx, ref, ActCaseRead, "deadlines")
		if err != nil {
			return err
		}
		out, err = caseDeadlines(ctx, tx, c)
		return err
	})
	return out, err
}

// caseDeadlines reads a case's deadlines; a shredded case's are gone.
func caseDeadlines(ctx context.Context, tx *store.Tx, c casefile.Case) ([]casefile.Deadline, error) {
	if c.KeyDestroyed {
		return []casefile.Deadline{}, nil
	}
	return tx.Deadlines(ctx, []int64{c.ID}, false, casefile.Date{})
}
