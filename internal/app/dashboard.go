package app

import (
	"context"
	"time"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// DashboardDays is how far back the dashboard looks for assessments that
// changed with a knowledge update.
const DashboardDays = 30

// Dashboard is a staff member's start page.
type Dashboard struct {
	// Mine are the open cases they are assigned to, newest first.
	Mine []casefile.Case `json:"mine"`
	// Changed are those of Mine whose findings changed when they were
	// assessed again after a knowledge update, in the last DashboardDays.
	Changed []ChangedCase `json:"changed"`
	// Deadlines are the open deadlines of Mine due within DashboardDays,
	// or overdue, soonest first.
	Deadlines []CaseDeadline `json:"deadlines"`
}

// CaseDeadline is a deadline with its case.
type CaseDeadline struct {
	Case     casefile.Case     `json:"case"`
	Deadline casefile.Deadline `json:"deadline"`
	Overdue  bool              `json:"overdue"`
}

// ChangedCase is a case whose assessment changed with a knowledge update.
type ChangedCase struct {
	Case        casefile.Case `json:"case"`
	At          time.Time     `json:"at"`
	PackVersion string        `json:"pack_version"`
	Changes     []string      `json:"changes"`
}

// maxDashboardCases bounds the cases the dashboard lists.
const maxDashboardCases = 200

// Dashboard reads the acting staff member's dashboard.
func (a *App) Dashboard(ctx context.Context) (Dashboard, error) {
	var d Dashboard
	err := a.db.View(ctx, func(tx *store.Tx) (err error) {
		p, err := a.allow(ctx, tx, ActCaseList, "dashboard")
		if err != nil {
			return err
		}
		var open []casefile.Status
		for _, s := range casefile.Statuses() {
			if s.Open() {
				open = append(open, s)
			}
		}
		f := store.CaseFilter{Assignee: p.Email, Statuses: open, Visible: visibility(p), Limit: maxDashboardCases}
		if d.Mine, err = tx.ListCases(ctx, f); err != nil {
			return err
		}
		if d.Changed, err = changedCases(ctx, tx, d.Mine, a.db.Now().AddDate(0, 0, -DashboardDays)); err != nil {
			return err
		}
		d.Deadlines, err = dueDeadlines(ctx, tx, d.Mine, a.today())
		return err
	})
	return d, err
}

// dueDeadlines are the open deadlines of the cases due by today plus
// DashboardDays, soonest first (the store's order).
func dueDeadlines(ctx context.Context, tx *store.Tx, cases []casefile.Case, today casefile.Date) ([]CaseDeadline, error) {
	var ids []int64
	byID := map[int64]casefile.Case{}
	for _, c := range cases {
		if !c.KeyDestroyed {
			ids = append(ids, c.ID)
			byID[c.ID] = c
		}
	}
	ds, err := tx.Deadlines(ctx, ids, true, today.AddDays(DashboardDays))
	if err != nil {
		return nil, err
	}
	out := make([]CaseDeadline, len(ds))
	for i, dl := range ds {
		out[i] = CaseDeadline{Case: byID[dl.CaseID], Deadline: dl, Overdue: dl.Due.Before(today)}
	}
	return out, nil
}

func changedCases(ctx context.Context, tx *store.Tx, cases []casefile.Case, since time.Time) ([]ChangedCase, error) {
	ids := make([]int64, len(cases))
	for i, c := range cases {
		ids[i] = c.ID
	}
	evs, err := tx.LatestEventOfKind(ctx, ids, casefile.EventReassessed, since)
	if err != nil {
		return nil, err
	}
	out := []ChangedCase{}
	for _, c := range cases {
		e, ok := evs[c.ID]
		if !ok {
			continue
		}
		d, err := e.DecodeDetail()
		if err != nil || len(d.Changed) == 0 {
			continue
		}
		out = append(out, ChangedCase{Case: c, At: e.At, PackVersion: d.PackVersion, Changes: d.Changed})
	}
	return out, nil
}
