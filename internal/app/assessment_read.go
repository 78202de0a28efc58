package app

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/rules"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// AssessmentSummary describes a stored assessment without its findings.
type AssessmentSummary struct {
	ID          int64  `json:"id"`
	AsOf        string `json:"as_of"`
	KnownAsOf   string `json:"known_as_of"`
	PackVersion string `json:"pack_version"`
	PackHash    string `json:"pack_hash"`
	CreatedAt   string `json:"created_at"`
	CreatedBy   string `json:"created_by"`
}

// Assessments lists the case's stored assessments, newest first.
func (a *App) Assessments(ctx context.Context, ref string) ([]AssessmentSummary, error) {
	var out []AssessmentSummary
	err := a.db.View(ctx, func(tx *store.Tx) error {
		c, err := a.openCase(ctx, tx, ref, ActCaseRead, "assessments")
		if err != nil {
			return err
		}
		recs, err := tx.Assessments(ctx, c.ID, 0)
		for _, r := range recs {
			out = append(out, AssessmentSummary{ID: r.ID, AsOf: r.AsOf, KnownAsOf: r.KnownAsOf, PackVersion: r.PackVersion,
				PackHash: r.PackHash, CreatedAt: r.CreatedAt.Format("2006-01-02T15:04:05.000000Z07:00"), CreatedBy: r.CreatedBy})
		}
		return err
	})
	if out == nil {
		out = []AssessmentSummary{}
	}
	return out, err
}

// Assessment returns a stored assessment of the case; id 0 means the
// latest. It returns ENOTFOUND if there is none.
func (a *App) Assessment(ctx context.Context, ref string, id int64) (StoredAssessment, error) {
	var out StoredAssessment
	err := a.db.View(ctx, func(tx *store.Tx) error {
		c, err := a.openCase(ctx, tx, ref, ActCaseRead, "assessment")
		if err != nil {
			return err
		}
		if id == 0 {
			latest, err := tx.Assessments(ctx, c.ID, 1)
			if err != nil {
				return err
			}
			if len(latest) == 0 {
				return sanctuary.Errorf(sanctuary.ENOTFOUND, "case %s has not been assessed yet", c.Reference)
			}
			id = latest[0].ID
		}
		r, err := tx.AssessmentByID(ctx, c.ID, id)
		if err != nil {
			return err
		}
		var res rules.Assessment
		if err := json.Unmarshal(r.Result, &res); err != nil {
			return fmt.Errorf("app: decode assessment %d: %w", id, err)
		}
		out = stored(c, r, &res)
		return nil
	})
	return out, err
}

// Reproduction is a stored assessment run again with the pack it used.
type Reproduction struct {
	Stored     StoredAssessment  `json:"stored"`
	Again      *rules.Assessment `json:"again"`
	Identical  bool              `json:"identical"`
	Difference rules.Difference  `json:"difference"`
}

// ReproduceAssessment runs a stored assessment again: the same facts, the
// same dates, the pack it used (loaded from the database by its hash, even
// if another pack is in use now), and says whether the result is the same.
func (a *App) ReproduceAssessment(ctx context.Context, ref string, id int64) (Reproduction, error) {
	st, err := a.Assessment(ctx, ref, id)
	if err != nil {
		return Reproduction{}, err
	}
	var sp store.StoredPack
	err = a.db.View(ctx, func(tx *store.Tx) (err error) {
		sp, err = tx.PackByHash(ctx, st.Assessment.Pack.Hash)
		return err
	})
	if err != nil {
		return Reproduction{}, err
	}
	pack, err := rules.ParseFiles(sp.Files)
	if err != nil {
		return Reproduction{}, fmt.Errorf("app: reload pack %s: %w", sp.Hash, err)
	}
	prev := st.Assessment
	again, err := pack.Assess(prev.Facts, rules.Query{AsOf: prev.AsOf, KnownAsOf: prev.KnownAsOf, Jurisdictions: prev.Jurisdictions})
	if err != nil {
		return Reproduction{}, err
	}
	// Warnings added by the app (destinations the pack does not cover) are
	// not the engine's; compare findings, displacements and the pack.
	d := rules.Diff(prev, again)
	return Reproduction{Stored: st, Again: again, Identical: len(d.Changes) == 0 && !d.PackChanged && sameJSON(prev.Findings, again.Findings),
		Difference: d}, nil
}

func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}
