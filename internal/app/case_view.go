package app

import (
	"context"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
	"github.com/sanctuary-platform/sanctuary/internal/rules"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// CaseViewRequest says what a case page shows: how many of the latest
// events, the date of the assessment and, optionally, a date to compare it
// with.
type CaseViewRequest struct {
	Events      int
	AsOf        casefile.Date // zero: today
	CompareWith casefile.Date // zero: no comparison
}

// CaseView is everything a case page shows, read in one consistent read
// that the audit trail records once.
type CaseView struct {
	CaseFile
	// Evidence is nil when evidence is not configured on this server.
	Evidence   []EvidenceView
	Assessment *rules.Assessment
	// Compared is the assessment as of CompareWith, if asked.
	Compared *rules.Assessment
	// Deadlines are the case's deadlines by due date, done ones included.
	Deadlines []casefile.Deadline
}

// ViewCase reads a case for its page: the case file, its evidence, and
// its assessment as of a date (not kept; AssessCase keeps one).
func (a *App) ViewCase(ctx context.Context, ref string, req CaseViewRequest) (CaseView, error) {
	var v CaseView
	var items []evidence.Item
	var key store.CaseKeyRecord
	err := a.db.View(ctx, func(tx *store.Tx) error {
		c, err := a.openCase(ctx, tx, ref, ActCaseRead, "case page")
		if err != nil {
			return err
		}
		if v.CaseFile, err = loadCaseFile(ctx, tx, c, req.Events); err != nil {
			return err
		}
		if v.Deadlines, err = caseDeadlines(ctx, tx, c); err != nil || a.ev == nil {
			return err
		}
		if roleDenial(mustPrincipal(ctx), ActEvidenceRead) != "" {
			return nil
		}
		if items, err = tx.EvidenceList(ctx, c.ID); err != nil || len(items) == 0 {
			return err
		}
		key, err = tx.CaseKey(ctx, c.ID)
		return err
	})
	if err != nil {
		return CaseView{}, err
	}
	if a.ev != nil {
		if v.Evidence, err = a.openItems(a.ev, items, key, v.Case.ID); err != nil {
			return CaseView{}, err
		}
	}
	if v.Assessment, err = a.assessFacts(v.Case, v.Facts, AssessRequest{AsOf: req.AsOf}); err != nil {
		return CaseView{}, err
	}
	if !req.CompareWith.IsZero() {
		v.Compared, err = a.assessFacts(v.Case, v.Facts, AssessRequest{AsOf: req.CompareWith})
	}
	return v, err
}

func mustPrincipal(ctx context.Context) (p sanctuary.Principal) {
	p, _ = principal(ctx)
	return p
}
