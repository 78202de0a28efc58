package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/rules"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// ReassessReport counts what a reassessment run did.
type ReassessReport struct {
	Total      int      `json:"total"`      // open cases not yet assessed with this pack when the run began
	Reassessed int      `json:"reassessed"` // of those, assessed in this run
	Changed    int      `json:"changed"`    // of those, with findings that changed
	Failed     []string `json:"failed,omitempty"`
}

// Progress is told after each case: how many are done of how many.
type Progress func(done, total int)

// Reassess assesses again, as of today, every open case whose latest
// assessment did not use the pack in use now, and writes on each case's
// timeline what changed and why. Each case is its own transaction, so the
// run can be stopped (by cancelling ctx) and started again: cases already
// assessed with this pack are skipped, and a second run does nothing.
func (a *App) Reassess(ctx context.Context, progress Progress) (ReassessReport, error) {
	who, err := actor(ctx)
	if err != nil {
		return ReassessReport{}, err
	}
	var todo []store.CaseRef
	err = a.db.View(ctx, func(tx *store.Tx) (err error) {
		if _, err := a.allow(ctx, tx, ActReassess, "open cases"); err != nil {
			return err
		}
		todo, err = tx.OpenCasesNotAssessedWith(ctx, a.pack.Hash)
		return err
	})
	if err != nil {
		return ReassessReport{}, err
	}
	rep := ReassessReport{Total: len(todo)}
	for i, ref := range todo {
		if err := ctx.Err(); err != nil {
			return rep, fmt.Errorf("reassessment stopped after %d of %d cases: %w", i, len(todo), err)
		}
		changed, err := a.reassessOne(ctx, ref.Reference, who)
		switch {
		case err != nil:
			a.log.Error("reassess failed", "case_id", ref.ID, "err", err)
			rep.Failed = append(rep.Failed, ref.Reference)
		case changed:
			rep.Reassessed++
			rep.Changed++
		default:
			rep.Reassessed++
		}
		if progress != nil {
			progress(i+1, len(todo))
		}
	}
	return rep, nil
}

// reassessOne assesses one case as of today and records the difference
// from its previous assessment.
func (a *App) reassessOne(ctx context.Context, ref, who string) (changed bool, err error) {
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		c, err := a.openCase(ctx, tx, ref, ActReassess, "assessment")
		if err != nil {
			return err
		}
		prev, err := latestResult(ctx, tx, c)
		if err != nil {
			return err
		}
		res, err := a.assessInTx(ctx, tx, c, AssessRequest{})
		if err != nil {
			return err
		}
		st, err := a.keep(ctx, tx, c, who, res)
		if err != nil {
			return err
		}
		d := casefile.EventDetail{AssessmentID: st.ID, AsOf: res.AsOf.String(), PackVersion: res.Pack.Version}
		if prev != nil {
			d.Changed = changeLines(rules.Diff(prev, res))
		}
		changed = len(d.Changed) > 0
		return record(ctx, tx, c, who, casefile.EventReassessed, d)
	})
	return changed, err
}

func latestResult(ctx context.Context, tx *store.Tx, c casefile.Case) (*rules.Assessment, error) {
	recs, err := tx.Assessments(ctx, c.ID, 1)
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	r, err := tx.AssessmentByID(ctx, c.ID, recs[0].ID)
	if err != nil {
		return nil, err
	}
	var res rules.Assessment
	if err := json.Unmarshal(r.Result, &res); err != nil {
		return nil, fmt.Errorf("app: decode assessment %d: %w", r.ID, err)
	}
	return &res, nil
}

// changeLines renders each changed finding as one line for the timeline.
func changeLines(d rules.Difference) []string {
	var lines []string
	for _, c := range d.Changes {
		var why []string
		for _, r := range c.Reasons {
			why = append(why, r.Text.In("en"))
		}
		line := fmt.Sprintf("%s %s", c.Rule, changeWord(c))
		if len(why) > 0 {
			line += " (" + strings.Join(why, "; ") + ")"
		}
		lines = append(lines, line)
	}
	return lines
}

func changeWord(c rules.Change) string {
	switch c.Change {
	case rules.ChangeAdded:
		return "now " + string(c.After.Status)
	case rules.ChangeRemoved:
		return "no longer applies"
	case rules.ChangeStatus:
		return fmt.Sprintf("%s → %s", c.Before.Status, c.After.Status)
	case rules.ChangeVersion:
		return fmt.Sprintf("version %d → %d", c.Before.Version, c.After.Version)
	}
	return "text changed"
}
