package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/rules"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// AssessRequest asks for an assessment of a case. A zero AsOf means today;
// a zero KnownAsOf means AsOf; no Jurisdictions means the case's own: its
// origin, the supranational ones, its destinations and the country the
// person is in now.
type AssessRequest struct {
	AsOf          casefile.Date
	KnownAsOf     casefile.Date
	Jurisdictions []string
}

// StoredAssessment is an assessment kept on a case.
type StoredAssessment struct {
	ID         int64             `json:"id"`
	Case       string            `json:"case"`
	CreatedAt  string            `json:"created_at"`
	CreatedBy  string            `json:"created_by"`
	Assessment *rules.Assessment `json:"assessment"`
}

// AssessCase assesses the case with the knowledge pack in use, keeps the
// assessment (and the pack, once, by its hash, so that the assessment can
// be reproduced) and records it on the case's timeline.
func (a *App) AssessCase(ctx context.Context, ref string, req AssessRequest) (StoredAssessment, error) {
	who, err := actor(ctx)
	if err != nil {
		return StoredAssessment{}, err
	}
	var out StoredAssessment
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		c, err := a.openCase(ctx, tx, ref, ActCaseUpdate, "assessment")
		if err != nil {
			return err
		}
		res, err := a.assessInTx(ctx, tx, c, req)
		if err != nil {
			return err
		}
		out, err = a.keep(ctx, tx, c, who, res)
		if err != nil {
			return err
		}
		return record(ctx, tx, c, who, casefile.EventAssessed, casefile.EventDetail{AssessmentID: out.ID,
			AsOf: res.AsOf.String(), PackVersion: res.Pack.Version})
	})
	return out, err
}

// assessInTx runs the assessment over the case's current facts.
func (a *App) assessInTx(ctx context.Context, tx *store.Tx, c casefile.Case, req AssessRequest) (*rules.Assessment, error) {
	facts, err := tx.Facts(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	return a.assessFacts(c, facts, req)
}

// assessFacts assesses the case with the facts given (as read from it).
func (a *App) assessFacts(c casefile.Case, facts []casefile.Fact, req AssessRequest) (*rules.Assessment, error) {
	facts = a.withPersonFacts(c, facts)
	q := rules.Query{AsOf: req.AsOf, KnownAsOf: req.KnownAsOf, Jurisdictions: req.Jurisdictions}
	if q.AsOf.IsZero() {
		q.AsOf = a.today()
	}
	var uncovered []string
	if len(q.Jurisdictions) == 0 {
		q.Jurisdictions, uncovered = a.caseJurisdictions(c, facts)
	}
	res, err := a.pack.Assess(facts, q)
	if err != nil {
		return nil, err
	}
	for _, code := range uncovered {
		res.Warnings = append(res.Warnings, rules.UncoveredWarning(code))
	}
	return res, nil
}

// withPersonFacts adds the birth date from the person's record when the
// facts do not state it, so that it is not asked twice.
func (a *App) withPersonFacts(c casefile.Case, facts []casefile.Fact) []casefile.Fact {
	def, ok := a.vocab.Lookup(rules.BirthDateFact)
	if !ok || def.Type != casefile.TypeDate || c.Person.BirthDate == nil ||
		slices.ContainsFunc(facts, func(f casefile.Fact) bool { return f.Name == rules.BirthDateFact }) {
		return facts
	}
	v := casefile.DateValue(*c.Person.BirthDate)
	return append(facts, casefile.Fact{Name: rules.BirthDateFact, State: casefile.StateKnown, Value: &v,
		Source: casefile.SourceCaseworker, RecordedAt: c.UpdatedAt, RecordedBy: "person record"})
}

// caseJurisdictions are the pack's origin and supranational jurisdictions,
// the case's destinations and the country the person is in; it also
// returns the destinations the pack has no rules for.
func (a *App) caseJurisdictions(c casefile.Case, facts []casefile.Fact) (codes, uncovered []string) {
	for _, j := range a.pack.Jurisdictions {
		if j.Kind == "origin" || j.Kind == "supranational" {
			codes = append(codes, j.Code)
		}
	}
	wanted := slices.Clone(c.Destinations)
	for _, f := range facts {
		if f.Name == rules.CurrentCountryFact && f.Value != nil && f.Value.Type == casefile.TypeEnum {
			wanted = append(wanted, f.Value.Text)
		}
	}
	for _, code := range wanted {
		_, ok := a.pack.Jurisdiction(code)
		switch {
		case ok && !slices.Contains(codes, code):
			codes = append(codes, code)
		case !ok && slices.Contains(c.Destinations, code) && !slices.Contains(uncovered, code):
			uncovered = append(uncovered, code)
		}
	}
	return codes, uncovered
}

// keep stores the pack (once) and the assessment.
func (a *App) keep(ctx context.Context, tx *store.Tx, c casefile.Case, who string, res *rules.Assessment) (StoredAssessment, error) {
	err := tx.SavePack(ctx, store.StoredPack{Hash: a.pack.Hash, Name: a.pack.Name, Version: a.pack.Version, Files: a.pack.Files()})
	if err != nil {
		return StoredAssessment{}, err
	}
	b, err := json.Marshal(res)
	if err != nil {
		return StoredAssessment{}, fmt.Errorf("app: encode assessment: %w", err)
	}
	r := store.AssessmentRecord{CaseID: c.ID, AsOf: res.AsOf.String(), KnownAsOf: res.KnownAsOf.String(),
		PackHash: res.Pack.Hash, PackVersion: res.Pack.Version, CreatedBy: who, Result: b}
	if err := tx.InsertAssessment(ctx, &r); err != nil {
		return StoredAssessment{}, err
	}
	return stored(c, r, res), nil
}

func stored(c casefile.Case, r store.AssessmentRecord, res *rules.Assessment) StoredAssessment {
	return StoredAssessment{ID: r.ID, Case: c.Reference, CreatedAt: r.CreatedAt.Format("2006-01-02T15:04:05.000000Z07:00"),
		CreatedBy: r.CreatedBy, Assessment: res}
}

// PreviewAssessment assesses the case without keeping the result: to look
// at another date, or to compare.
func (a *App) PreviewAssessment(ctx context.Context, ref string, req AssessRequest) (*rules.Assessment, error) {
	var res *rules.Assessment
	err := a.db.View(ctx, func(tx *store.Tx) error {
		c, err := a.openCase(ctx, tx, ref, ActCaseRead, "assessment preview")
		if err != nil {
			return err
		}
		res, err = a.assessInTx(ctx, tx, c, req)
		return err
	})
	return res, err
}

// ParseDateField parses an optional date given as text, for the API and
// the CLI; "" is the zero date.
func ParseDateField(field, s string) (casefile.Date, error) {
	if s == "" {
		return casefile.Date{}, nil
	}
	d, err := casefile.ParseDate(s)
	if err != nil {
		return d, sanctuary.Invalid("the date is not valid", map[string]string{field: err.Error()})
	}
	return d, nil
}
