package rules

import (
	"fmt"
	"slices"

	"cel.dev/cel-go/common/types"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// Question is a fact the interview may ask next, with how many undetermined
// findings its answer could decide.
type Question struct {
	Fact    *Fact
	Decides int
}

// Interview returns the facts still to ask, the most useful first.
//
// A fact is still to ask when it has no answer yet (neither a value nor
// "unknown") and its asked_if holds for the answers so far. An asked_if
// that cannot be decided yet waits: its question comes once the facts it
// reads are answered (and never if one of them is answered "unknown").
// Usefulness is how many undetermined findings of the assessment name the
// fact as deciding; ties keep the pack's order, which tells a story. The
// assessment may be nil (nothing is undetermined yet).
func (p *Pack) Interview(facts []casefile.Fact, a *Assessment) ([]Question, error) {
	by := p.usableFacts(facts, &Assessment{})
	asked, err := p.askable(by)
	if err != nil {
		return nil, err
	}
	weight := map[string]int{}
	if a != nil {
		for _, f := range a.Findings {
			for _, name := range f.Deciding {
				weight[name]++
			}
		}
	}
	var out []Question
	for i := range p.Facts {
		f := &p.Facts[i]
		if _, answered := by[f.Name]; answered || !asked[f.Name] {
			continue
		}
		out = append(out, Question{Fact: f, Decides: weight[f.Name]})
	}
	slices.SortStableFunc(out, func(x, y Question) int { return y.Decides - x.Decides })
	return out, nil
}

// Asked reports, for every fact of the pack, whether the interview asks it
// given the answers so far: true when it has no asked_if or its asked_if
// holds. A review of the answers shows only the questions asked.
func (p *Pack) Asked(facts []casefile.Fact) (map[string]bool, error) {
	return p.askable(p.usableFacts(facts, &Assessment{}))
}

func (p *Pack) askable(by map[string]casefile.Fact) (map[string]bool, error) {
	act, err := p.env.PartialVars(p.activation(valuesOf(by), casefile.Date{}))
	if err != nil {
		return nil, fmt.Errorf("rules: facts for asked_if: %w", err)
	}
	out := make(map[string]bool, len(p.Facts))
	for i := range p.Facts {
		f := &p.Facts[i]
		if f.askedIf == nil {
			out[f.Name] = true
			continue
		}
		v, _, err := f.askedIf.Eval(act)
		if err != nil && !types.IsUnknown(v) {
			continue // an asked_if that fails on these answers does not ask
		}
		out[f.Name] = v == types.True
	}
	return out, nil
}
