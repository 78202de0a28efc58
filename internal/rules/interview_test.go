package rules

import (
	"slices"
	"testing"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

func names(qs []Question) []string {
	var out []string
	for _, q := range qs {
		out = append(out, q.Fact.Name)
	}
	return out
}

func TestInterview_SkipLogicAndOrder(t *testing.T) {
	p := loadMini(t)
	qs, err := p.Interview(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	// summons_form and proof_held wait for the answers their asked_if reads.
	if got, want := names(qs), []string{"has_summons", "birth_date", "is_deserter"}; !slices.Equal(got, want) {
		t.Fatalf("first questions %v, want %v", got, want)
	}
	facts := []casefile.Fact{known("has_summons", casefile.Bool(false)), unknown("is_deserter")}
	qs, _ = p.Interview(facts, nil)
	if got, want := names(qs), []string{"birth_date"}; !slices.Equal(got, want) {
		t.Fatalf("after no summons and an unknown desertion: %v, want %v", got, want)
	}
	facts[0] = known("has_summons", casefile.Bool(true))
	qs, _ = p.Interview(facts, nil)
	if got, want := names(qs), []string{"summons_form", "birth_date"}; !slices.Equal(got, want) {
		t.Fatalf("after a summons: %v, want %v", got, want)
	}
}

func TestInterview_MostDecidingFirst(t *testing.T) {
	p := loadMini(t)
	facts := []casefile.Fact{known("has_summons", casefile.Bool(true))}
	a, err := p.Assess(facts, Query{AsOf: day("2026-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, f := range a.Findings {
		for _, d := range f.Deciding {
			counts[d]++
		}
	}
	qs, _ := p.Interview(facts, a)
	if len(qs) == 0 {
		t.Fatal("no questions")
	}
	for i, q := range qs {
		if q.Decides != counts[q.Fact.Name] {
			t.Errorf("%s decides %d, the assessment says %d", q.Fact.Name, q.Decides, counts[q.Fact.Name])
		}
		if i > 0 && q.Decides > qs[i-1].Decides {
			t.Errorf("%s (%d) after %s (%d)", q.Fact.Name, q.Decides, qs[i-1].Fact.Name, qs[i-1].Decides)
		}
	}
	if qs[0].Decides == 0 {
		t.Errorf("the first question %s decides nothing though findings are undetermined: %v", qs[0].Fact.Name, counts)
	}
}

func TestAsked(t *testing.T) {
	p := loadMini(t)
	asked, err := p.Asked([]casefile.Fact{known("is_deserter", casefile.Bool(true))})
	if err != nil {
		t.Fatal(err)
	}
	if !asked["proof_held"] || asked["summons_form"] || !asked["has_summons"] {
		t.Errorf("asked %v", asked)
	}
}
