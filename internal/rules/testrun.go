package rules

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// TestResult is the outcome of one test, or of one rule's boundary checks.
type TestResult struct {
	Name     string   `json:"name"`
	Where    string   `json:"where"`
	Failures []string `json:"failures,omitempty"`
}

// Passed reports whether the test passed.
func (r TestResult) Passed() bool { return len(r.Failures) == 0 }

// RunTests runs every test of the pack, then checks every rule version on
// both sides of each of its dates, using a test in which it applies (its
// witness).
func (p *Pack) RunTests() []TestResult {
	var results []TestResult
	for _, t := range p.Tests {
		results = append(results, TestResult{Name: t.Name, Where: t.Where(), Failures: p.runTest(t)})
	}
	for _, r := range p.Rules {
		results = append(results, p.checkBoundaries(r))
	}
	return results
}

func (p *Pack) runTest(t Test) []string {
	a, err := p.Assess(t.Facts, Query{AsOf: t.AsOf, KnownAsOf: t.KnownAsOf, Jurisdictions: t.Jurisdictions})
	if err != nil {
		return []string{err.Error()}
	}
	var fails []string
	for _, id := range t.Present {
		if st, ok := statusOf(a, id); !ok || st != StatusApplies {
			fails = append(fails, fmt.Sprintf("%s should apply, but %s", id, describeStatus(st, ok)))
		}
	}
	for _, id := range t.Absent {
		if st, ok := statusOf(a, id); ok {
			fails = append(fails, fmt.Sprintf("%s should be absent, but it is %s", id, st))
		}
	}
	for _, id := range t.Undetermined {
		if st, ok := statusOf(a, id); !ok || st != StatusUndetermined {
			fails = append(fails, fmt.Sprintf("%s should be undetermined, but %s", id, describeStatus(st, ok)))
		}
	}
	return fails
}

func statusOf(a *Assessment, id string) (Status, bool) {
	for _, f := range a.Findings {
		if f.Rule == id {
			return f.Status, true
		}
	}
	return "", false
}

func describeStatus(st Status, ok bool) string {
	if !ok {
		return "it is absent"
	}
	return "it is " + string(st)
}

// farFuture stands for "everything known" in boundary checks.
var farFuture = casefile.Date{Year: 9999, Month: 12, Day: 31}

// checkBoundaries re-runs the rule's witness on each side of its dates.
func (p *Pack) checkBoundaries(r *Rule) TestResult {
	res := TestResult{Name: "boundaries of " + r.Key(), Where: fmt.Sprintf("%s:%d", r.file, r.line)}
	w, ok := p.witness(r)
	if !ok {
		res.Failures = []string{fmt.Sprintf("no test makes %s apply between %s and %s; add one with it under present", r.Key(), r.ValidFrom, endText(r.ValidTo))}
		return res
	}
	type probe struct {
		asOf, known casefile.Date
		want        bool
		what        string
	}
	all := r.lastKnownAlone()
	probes := []probe{
		{r.ValidFrom.AddDays(-1), all, false, "the day before valid_from"},
		{r.ValidFrom, all, true, "valid_from"},
	}
	if r.ValidTo != nil {
		probes = append(probes, probe{r.ValidTo.AddDays(-1), all, true, "the last day in force"})
		if end := r.EndKnown(); !all.Before(end) { // its end is known by then
			probes = append(probes, probe{*r.ValidTo, all, false, "valid_to"})
			if r.KnownFrom.Before(end) {
				probes = append(probes, probe{*r.ValidTo, end.AddDays(-1), true, "valid_to, known the day before its end was"},
					probe{*r.ValidTo, end, false, "valid_to, known when its end was"})
			}
		}
	}
	for _, c := range r.correctedBy {
		day := maxDate(r.ValidFrom, c.ValidFrom)
		probes = append(probes, probe{day, c.KnownFrom.AddDays(-1), true, "known the day before version " + strconv.Itoa(c.Version) + " corrected it"},
			probe{day, c.KnownFrom, false, "known when version " + strconv.Itoa(c.Version) + " corrected it"})
	}
	probes = append(probes, probe{w.AsOf, r.KnownFrom.AddDays(-1), false, "known the day before known_from"},
		probe{w.AsOf, maxDate(r.KnownFrom, w.AsOf), true, "known from known_from"})
	for _, pr := range probes {
		got := p.appliesIn(r, w, pr.asOf, pr.known)
		if got != pr.want {
			res.Failures = append(res.Failures, fmt.Sprintf("with the facts of test %q as of %s (%s, known as of %s): %s should %s",
				w.Name, pr.asOf, pr.what, pr.known, r.Key(), map[bool]string{true: "apply", false: "not apply"}[pr.want]))
		}
	}
	return res
}

func maxDate(a, b casefile.Date) casefile.Date {
	if a.After(b) {
		return a
	}
	return b
}

func endText(d *casefile.Date) string {
	if d == nil {
		return "today"
	}
	return d.String()
}

// witness finds a test in which this version of the rule applies.
func (p *Pack) witness(r *Rule) (Test, bool) {
	for _, t := range p.Tests {
		if slices.Contains(t.Present, r.ID) && r.AppliesOn(t.AsOf, t.KnownAsOf) && p.appliesIn(r, t, t.AsOf, t.KnownAsOf) {
			return t, true
		}
	}
	return Test{}, false
}

func (p *Pack) appliesIn(r *Rule, t Test, asOf, known casefile.Date) bool {
	a, err := p.Assess(t.Facts, Query{AsOf: asOf, KnownAsOf: known, Jurisdictions: t.Jurisdictions})
	if err != nil {
		return false
	}
	return slices.ContainsFunc(a.Findings, func(f Finding) bool { return f.Key() == r.Key() && f.Status == StatusApplies })
}

// lastKnownAlone is the last day on which the rule is known and no later
// version corrects it: the boundary checks of its validity look from
// there.
func (r *Rule) lastKnownAlone() casefile.Date {
	last := farFuture
	for _, c := range r.correctedBy {
		if d := c.KnownFrom.AddDays(-1); d.Before(last) {
			last = d
		}
	}
	return last
}
