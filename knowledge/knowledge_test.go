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
	for _, r := range p.Rules {
		if r.Confidence != rules.ConfidenceLow || r.Condition != "true" || !r.InForce(casefile.Date{Year: 2025, Month: 6, Day: 1}) {
			continue
		}
		a, err := p.Assess(nil, rules.Query{AsOf: casefile.Date{Year: 2025, Month: 6, Day: 1}, Jurisdictions: []string{r.Jurisdiction}})
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
