package knowledge_test

import (
	"strings"
	"testing"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/rules"
	"github.com/sanctuary-platform/sanctuary/knowledge"
)

func load(tb testing.TB) *rules.Pack {
	tb.Helper()
	p, err := knowledge.Load()
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func TestDefaultPack_Loads(t *testing.T) {
	p := load(t)
	if p.Name != "sanctuary-default" || p.CoversUntil.String() != "2026-01-31" {
		t.Errorf("pack %s covers until %s; the brief's sources end in January 2026", p.Name, p.CoversUntil)
	}
	ids := map[string]bool{}
	for _, r := range p.Rules {
		ids[r.ID] = true
	}
	if len(ids) < 29 {
		t.Errorf("%d rules; the brief suggests at least 29", len(ids))
	}
}

// TestDefaultPack_TestsPass runs the pack's own tests and the boundary
// checks of every rule version, as `sanctuary rules test` does.
func TestDefaultPack_TestsPass(t *testing.T) {
	p := load(t)
	results := p.RunTests()
	for _, r := range results {
		if !r.Passed() {
			t.Errorf("%s (%s): %s", r.Name, r.Where, strings.Join(r.Failures, "; "))
		}
	}
	if len(results) < len(p.Rules) {
		t.Errorf("%d results for %d rules", len(results), len(p.Rules))
	}
}

// TestDefaultPack_ProminenceIsNotACriterion: the brief's seed article shows
// claims refused as "not prominent enough"; prominence is not a legal
// criterion, so no fact or condition may ask for a public profile.
func TestDefaultPack_ProminenceIsNotACriterion(t *testing.T) {
	p := load(t)
	banned := []string{"prominen", "famous", "follower", "public_profile", "high_profile", "well_known", "notab"}
	for _, f := range p.Facts {
		for _, b := range banned {
			if strings.Contains(f.Name, b) {
				t.Errorf("fact %s asks about prominence", f.Name)
			}
		}
	}
	for _, r := range p.Rules {
		for _, b := range banned {
			if strings.Contains(strings.ToLower(r.Condition), b) {
				t.Errorf("rule %s requires prominence: %s", r.Key(), r.Condition)
			}
		}
	}
}

// TestDefaultPack_LowConfidenceIsShown: items the brief marks weak are in
// the pack as low-confidence rules, and their findings say so.
func TestDefaultPack_LowConfidenceIsShown(t *testing.T) {
	p := load(t)
	low := 0
	for _, r := range p.Rules {
		if r.Confidence == rules.ConfidenceLow {
			low++
		}
	}
	if low == 0 {
		t.Fatal("no low-confidence rule, though the brief marks several items L")
	}
	asOf, known := casefile.Date{Year: 2025, Month: 6, Day: 1}, casefile.Date{Year: 2026, Month: 12, Day: 1}
	for _, r := range p.Rules {
		if r.Confidence != rules.ConfidenceLow || r.Condition != "true" || !r.AppliesOn(asOf, known) {
			continue
		}
		a, err := p.Assess(nil, rules.Query{AsOf: asOf, KnownAsOf: known, Jurisdictions: []string{r.Jurisdiction}})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		rules.WriteText(&b, a, "en")
		if !strings.Contains(b.String(), "LOW CONFIDENCE") {
			t.Errorf("the low-confidence finding of %s is not marked:\n%s", r.Key(), b.String())
		}
		return
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		load(b)
	}
}

// BenchmarkAssess assesses a deserter in transit in Armenia against every
// jurisdiction of the pack.
func BenchmarkAssess(b *testing.B) {
	p := load(b)
	v := func(x casefile.Value) *casefile.Value { return &x }
	facts := []casefile.Fact{
		{Name: "is_deserter", State: casefile.StateKnown, Value: v(casefile.Bool(true))},
		{Name: "is_mobilized", State: casefile.StateKnown, Value: v(casefile.Bool(true))},
		{Name: "current_country", State: casefile.StateKnown, Value: v(casefile.Enum("AM"))},
		{Name: "birth_date", State: casefile.StateKnown, Value: v(casefile.DateValue(casefile.Date{Year: 1994, Month: 3, Day: 2}))},
		{Name: "left_russia", State: casefile.StateKnown, Value: v(casefile.Bool(true))},
		{Name: "desertion_proof_held", State: casefile.StateUnknown},
	}
	q := rules.Query{AsOf: casefile.Date{Year: 2024, Month: 6, Day: 1}}
	a, err := p.Assess(facts, q)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(a.Findings)), "findings")
	for b.Loop() {
		if _, err := p.Assess(facts, q); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDefaultPack_CitesNothingFromTheFuture: no finding of the default
// pack, on the facts of any of its tests, cites a source published after
// the day the assessment is as known on — checked on each side of the
// publication day of every source the test's findings cite.
func TestDefaultPack_CitesNothingFromTheFuture(t *testing.T) {
	p := load(t)
	everything := casefile.Date{Year: 9999, Month: 12, Day: 31}
	checked := 0
	for _, tc := range p.Tests {
		a, err := p.Assess(tc.Facts, rules.Query{AsOf: tc.AsOf, KnownAsOf: everything, Jurisdictions: tc.Jurisdictions})
		if err != nil {
			t.Fatal(err)
		}
		days := map[casefile.Date]bool{}
		for _, f := range a.Findings {
			for _, s := range f.Sources {
				if d, ok := rules.PublishedDay(s.Published); ok {
					days[d], days[d.AddDays(-1)] = true, true
				}
			}
		}
		for known := range days {
			b, err := p.Assess(tc.Facts, rules.Query{AsOf: tc.AsOf, KnownAsOf: known, Jurisdictions: tc.Jurisdictions})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range b.Findings {
				for _, s := range f.Sources {
					checked++
					if d, ok := rules.PublishedDay(s.Published); !ok || d.After(known) {
						t.Errorf("%s: as of %s known %s, %s cites %s, published %s", tc.Name, tc.AsOf, known, f.Key(), s.ID, s.Published)
					}
				}
			}
		}
	}
	if checked < 1000 {
		t.Errorf("only %d citations checked", checked)
	}
	t.Logf("%d citations checked", checked)
}
