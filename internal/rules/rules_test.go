package rules

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

func loadMini(t testing.TB) *Pack {
	t.Helper()
	p, err := Load(os.DirFS("testdata/mini"))
	if err != nil {
		t.Fatalf("load mini pack: %v", err)
	}
	return p
}

func day(s string) casefile.Date {
	d, err := casefile.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func known(name string, v casefile.Value) casefile.Fact {
	return casefile.Fact{Name: name, State: casefile.StateKnown, Value: &v, Source: casefile.SourceStatement}
}

func unknown(name string) casefile.Fact {
	return casefile.Fact{Name: name, State: casefile.StateUnknown, Source: casefile.SourceStatement}
}

func findingOf(a *Assessment, id string) (Finding, bool) {
	for _, f := range a.Findings {
		if f.Rule == id {
			return f, true
		}
	}
	return Finding{}, false
}

func TestMiniPack_TestsPass(t *testing.T) {
	p := loadMini(t)
	for _, r := range p.RunTests() {
		if !r.Passed() {
			t.Errorf("%s (%s): %s", r.Name, r.Where, strings.Join(r.Failures, "; "))
		}
	}
	if len(p.Hash) != 64 {
		t.Errorf("hash %q", p.Hash)
	}
}

func TestAssess_Bitemporal(t *testing.T) {
	p := loadMini(t)
	facts := []casefile.Fact{known("has_summons", casefile.Bool(true)), known("summons_form", casefile.Enum("electronic"))}
	cases := []struct {
		asOf, knownAsOf string
		want            bool
	}{
		{"2023-04-13", "2024-01-01", false}, // not yet in force
		{"2023-04-14", "2024-01-01", true},  // in force from valid_from
		{"2023-04-14", "2023-04-19", false}, // in force, but not yet known
		{"2023-04-14", "2023-04-20", true},  // known from known_from
	}
	for _, c := range cases {
		a, err := p.Assess(facts, Query{AsOf: day(c.asOf), KnownAsOf: day(c.knownAsOf), Jurisdictions: []string{"RU"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, got := findingOf(a, "ru-e-summons"); got != c.want {
			t.Errorf("as of %s known %s: e-summons finding %v, want %v", c.asOf, c.knownAsOf, got, c.want)
		}
	}
}

func TestAssess_VersionsByDate(t *testing.T) {
	p := loadMini(t)
	facts := []casefile.Fact{known("birth_date", casefile.DateValue(day("1995-06-01")))} // 28 in 2023, 29 in 2024
	a23, _ := p.Assess(facts, Query{AsOf: day("2023-12-31")})
	a24, _ := p.Assess(facts, Query{AsOf: day("2024-01-01")})
	if _, ok := findingOf(a23, "ru-conscription-age"); ok {
		t.Error("at 28 in 2023 (limit 27) the conscription rule applies")
	}
	f, ok := findingOf(a24, "ru-conscription-age")
	if !ok || f.Version != 2 {
		t.Fatalf("at 28 in 2024 (limit 30): finding %+v, %v", f, ok)
	}
	d := Diff(a23, a24)
	if len(d.Changes) != 1 || d.Changes[0].Change != ChangeAdded {
		t.Fatalf("diff = %+v", d.Changes)
	}
	if !hasReason(d.Changes[0], "in_force") {
		t.Errorf("the change is not explained by version 2 coming into force: %+v", d.Changes[0].Reasons)
	}
}

func hasReason(c Change, code string) bool {
	for _, r := range c.Reasons {
		if r.Code == code {
			return true
		}
	}
	return false
}

func TestAssess_ThreeValued(t *testing.T) {
	p := loadMini(t)
	q := Query{AsOf: day("2024-06-01"), Jurisdictions: []string{"RU"}}
	for _, tc := range []struct {
		name  string
		facts []casefile.Fact
		want  Status
		decid []string
	}{
		{"NotAsked", nil, StatusUndetermined, []string{"has_summons", "summons_form"}},
		{"FormUnknown", []casefile.Fact{known("has_summons", casefile.Bool(true)), unknown("summons_form")}, StatusUndetermined, []string{"summons_form"}},
		{"NoSummonsDecides", []casefile.Fact{known("has_summons", casefile.Bool(false))}, "", nil},
		{"Known", []casefile.Fact{known("has_summons", casefile.Bool(true)), known("summons_form", casefile.Enum("electronic"))}, StatusApplies, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := p.Assess(tc.facts, q)
			if err != nil {
				t.Fatal(err)
			}
			f, ok := findingOf(a, "ru-e-summons")
			if tc.want == "" {
				if ok {
					t.Fatalf("finding %+v, want none", f)
				}
				return
			}
			if !ok || f.Status != tc.want || strings.Join(f.Deciding, ",") != strings.Join(tc.decid, ",") {
				t.Errorf("finding status %s deciding %v; want %s %v", f.Status, f.Deciding, tc.want, tc.decid)
			}
		})
	}
}

func TestAssess_FindingCarriesEverything(t *testing.T) {
	p := loadMini(t)
	facts := []casefile.Fact{known("has_summons", casefile.Bool(true)), known("summons_form", casefile.Enum("electronic"))}
	a, err := p.Assess(facts, Query{AsOf: day("2026-03-01")})
	if err != nil {
		t.Fatal(err)
	}
	f, _ := findingOf(a, "ru-e-summons")
	if f.Text["ru"] != "Повестка (электронная) считается врученной через семь дней (на 2026-03-01)." {
		t.Errorf("ru text = %q", f.Text["ru"])
	}
	if f.Text["de"] == "" || !strings.Contains(f.Text["de"], "elektronisch") {
		t.Errorf("de text = %q", f.Text["de"])
	}
	if len(f.Sources) != 1 || f.Sources[0].Pinpoint != "art. 1" || f.Sources[0].URL == "" || f.Sources[0].Published != "2021-12-01" {
		t.Errorf("sources = %+v", f.Sources)
	}
	if len(f.Trace) != 2 || f.Trace[1].Value == nil || f.Trace[1].Value.Text != "electronic" {
		t.Errorf("trace = %+v", f.Trace)
	}
	if a.Pack.Hash != p.Hash || a.Pack.Version != "1" {
		t.Errorf("pack ref = %+v", a.Pack)
	}
	if len(a.Warnings) != 1 || a.Warnings[0].Code != WarnStale {
		t.Errorf("as of 2026-03-01, after covers_until 2025-12-31: warnings %+v", a.Warnings)
	}
}

func TestAssess_Overrides(t *testing.T) {
	p := loadMini(t)
	q := Query{AsOf: day("2024-06-01"), Jurisdictions: []string{"DE"}}
	a, _ := p.Assess([]casefile.Fact{known("is_deserter", casefile.Bool(true)), known("proof_held", casefile.Bool(true))}, q)
	if _, ok := findingOf(a, "de-deserter-no-proof"); ok {
		t.Error("the general rule was not displaced")
	}
	if len(a.Displaced) != 1 || a.Displaced[0].By != "de-deserter-protection@1" {
		t.Errorf("displaced = %+v", a.Displaced)
	}
	// While proof is undetermined, the specific rule does not apply, so the
	// general one stays.
	a, _ = p.Assess([]casefile.Fact{known("is_deserter", casefile.Bool(true))}, q)
	if g, ok := findingOf(a, "de-deserter-no-proof"); !ok || g.Status != StatusApplies {
		t.Errorf("general rule with proof unknown: %+v %v", g, ok)
	}
}

func TestAssess_BadQuery(t *testing.T) {
	p := loadMini(t)
	if _, err := p.Assess(nil, Query{}); err == nil {
		t.Error("no date accepted")
	}
	if _, err := p.Assess(nil, Query{AsOf: day("2024-01-01"), Jurisdictions: []string{"XX"}}); err == nil {
		t.Error("unknown jurisdiction accepted")
	}
	a, err := p.Assess([]casefile.Fact{known("shoe_size", casefile.Int(44))}, Query{AsOf: day("2024-01-01")})
	if err != nil || len(a.Warnings) != 1 || a.Warnings[0].Code != WarnIgnoredFact {
		t.Errorf("fact outside the vocabulary: %v, %+v", err, a.Warnings)
	}
}

func TestDiff_FactChanged(t *testing.T) {
	p := loadMini(t)
	q := Query{AsOf: day("2024-06-01"), Jurisdictions: []string{"RU"}}
	a, _ := p.Assess([]casefile.Fact{known("has_summons", casefile.Bool(true)), unknown("summons_form")}, q)
	b, _ := p.Assess([]casefile.Fact{known("has_summons", casefile.Bool(true)), known("summons_form", casefile.Enum("electronic"))}, q)
	d := Diff(a, b)
	var c *Change
	for i := range d.Changes {
		if d.Changes[i].Rule == "ru-e-summons" {
			c = &d.Changes[i]
		}
	}
	if c == nil || c.Change != ChangeStatus || !hasReason(*c, "fact") {
		t.Fatalf("diff = %+v", d.Changes)
	}
	if !strings.Contains(c.Reasons[0].Text["en"], "summons_form changed: unknown → electronic") {
		t.Errorf("reason = %q", c.Reasons[0].Text["en"])
	}
}

func TestAssessment_JSONRoundTrip(t *testing.T) {
	p := loadMini(t)
	facts := []casefile.Fact{known("has_summons", casefile.Bool(true)), known("summons_form", casefile.Enum("electronic")),
		known("birth_date", casefile.DateValue(day("2000-01-02"))), unknown("proof_held")}
	a, err := p.Assess(facts, Query{AsOf: day("2024-06-01")})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var back Assessment
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("an assessment does not read back: %v", err)
	}
	again, _ := json.Marshal(back)
	if string(again) != string(b) {
		t.Errorf("round trip changed the assessment:\n%s\n%s", b, again)
	}
	if d := Diff(a, &back); len(d.Changes) != 0 || len(d.FactChanges) != 0 {
		t.Errorf("diff after round trip: %+v", d)
	}
}
