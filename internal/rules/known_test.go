package rules

import (
	"strings"
	"testing"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// miniWith loads the mini pack with old replaced by new in one file.
func miniWith(t *testing.T, file, old, new string) *Pack {
	t.Helper()
	files := miniFiles(t)
	src := string(files[file])
	if !strings.Contains(src, old) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	files[file] = []byte(strings.Replace(src, old, new, 1))
	p, err := ParseFiles(files)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func versionOf(t *testing.T, p *Pack, facts []casefile.Fact, asOf, knownAsOf, id string) int {
	t.Helper()
	a, err := p.Assess(facts, Query{AsOf: day(asOf), KnownAsOf: day(knownAsOf), Jurisdictions: []string{"RU"}})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	version := 0
	for _, f := range a.Findings {
		if f.Rule == id {
			n++
			version = f.Version
		}
	}
	if n > 1 {
		t.Fatalf("as of %s known %s: %d versions of %s apply at once", asOf, knownAsOf, n, id)
	}
	return version
}

// versionCase is a day, the day it is as known on, and the version of a
// rule that must apply then (0: none).
type versionCase struct {
	asOf, knownAsOf string
	want            int
}

func wantVersions(t *testing.T, p *Pack, facts []casefile.Fact, id string, cases []versionCase) {
	t.Helper()
	for _, c := range cases {
		if got := versionOf(t, p, facts, c.asOf, c.knownAsOf, id); got != c.want {
			t.Errorf("as of %s known %s: version %d of %s, want %d", c.asOf, c.knownAsOf, got, id, c.want)
		}
	}
}

// TestAssess_AnEndIsKnownWhenItsSuccessorIs: a version's end applies only
// to assessments as known once the end was known. As known on a day
// before the change of 1 Jan 2024 was published (4 Aug 2023), the 18–27
// rule is still the law for 2024 — it is what anyone knew then — not
// nothing, as when the end counted from the start.
func TestAssess_AnEndIsKnownWhenItsSuccessorIs(t *testing.T) {
	p := loadMini(t)
	man := []casefile.Fact{known("birth_date", casefile.DateValue(day("2000-01-01")))}
	wantVersions(t, p, man, "ru-conscription-age", []versionCase{
		{"2023-12-31", "2023-06-01", 1},
		{"2024-06-01", "2023-06-01", 1}, // the end on 1 Jan 2024 is not known yet
		{"2024-06-01", "2023-08-03", 1},
		{"2024-06-01", "2023-08-04", 2}, // known from the day version 2 was
		{"2023-12-31", "2023-08-04", 1},
	})
}

// TestAssess_AnExplicitEndKnown: end_known_from sets when an end became
// known where no version of the same rule tells it.
func TestAssess_AnExplicitEndKnown(t *testing.T) {
	p := miniWith(t, "rules/ru.yaml", "  known_from: 2023-04-20\n", "  valid_to: 2023-06-01\n  known_from: 2023-04-20\n  end_known_from: 2023-06-10\n")
	facts := []casefile.Fact{known("has_summons", casefile.Bool(true)), known("summons_form", casefile.Enum("electronic"))}
	wantVersions(t, p, facts, "ru-e-summons", []versionCase{
		{"2023-05-31", "2023-12-31", 1},
		{"2023-06-01", "2023-12-31", 0},
		{"2023-06-05", "2023-06-09", 1},
		{"2023-06-05", "2023-06-10", 0},
	})
}

// TestAssess_ACorrectionReplacesAVersionOnceKnown: a later-known version
// over the same days corrects the earlier one from its known_from on; the
// two never apply together.
func TestAssess_ACorrectionReplacesAVersionOnceKnown(t *testing.T) {
	correction := `
- id: ru-e-summons
  version: 2
  jurisdiction: RU
  kind: risk
  subject: ru-summons
  valid_from: 2023-04-14
  known_from: 2023-07-01
  condition: has_summons && summons_form == 'electronic'
  finding: {en: Corrected reading., ru: Исправленное прочтение., de: Berichtigte Lesart.}
  sources: [{id: law-a, pinpoint: art. 1a}]
  confidence: high
`
	p := miniWith(t, "rules/ru.yaml", "- id: ru-conscription-age\n  version: 1\n", strings.TrimPrefix(correction, "\n")+"- id: ru-conscription-age\n  version: 1\n")
	facts := []casefile.Fact{known("has_summons", casefile.Bool(true)), known("summons_form", casefile.Enum("electronic"))}
	wantVersions(t, p, facts, "ru-e-summons", []versionCase{
		{"2023-05-01", "2023-05-01", 1},
		{"2023-05-01", "2023-06-30", 1},
		{"2023-05-01", "2023-07-01", 2},
		{"2025-01-01", "2026-01-01", 2},
	})
}

// TestAssess_ACorroborationIsCitedOnlyOnceItExists: a source published
// after the rule became known is left out of a finding as known before
// its publication.
func TestAssess_ACorroborationIsCitedOnlyOnceItExists(t *testing.T) {
	p := miniWith(t, "rules/ru.yaml", "[{id: law-a, pinpoint: art. 2}]", "[{id: law-a, pinpoint: art. 2}, {id: rumour, pinpoint: later, corroborates: true}]")
	man := []casefile.Fact{known("birth_date", casefile.DateValue(day("2000-01-01")))}
	for _, c := range []struct {
		knownAsOf string
		want      []string
	}{
		{"2022-04-30", []string{"law-a"}},
		{"2022-05-01", []string{"law-a", "rumour"}},
	} {
		a, err := p.Assess(man, Query{AsOf: day("2022-03-01"), KnownAsOf: day(c.knownAsOf), Jurisdictions: []string{"RU"}})
		if err != nil {
			t.Fatal(err)
		}
		f, ok := findingOf(a, "ru-conscription-age")
		if !ok {
			t.Fatalf("known %s: no finding", c.knownAsOf)
		}
		var got []string
		for _, s := range f.Sources {
			got = append(got, s.ID)
		}
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("known %s: cites %v, want %v", c.knownAsOf, got, c.want)
		}
	}
}

// TestDiff_SaysWhenAnEndBecameKnown: the same case as of 2024, compared
// as known before and after the change of 1 Jan 2024 was published,
// names the day the old version's end became known.
func TestDiff_SaysWhenAnEndBecameKnown(t *testing.T) {
	p := loadMini(t)
	man := []casefile.Fact{known("birth_date", casefile.DateValue(day("2000-01-01")))} // 24 in 2024: under both versions
	a, err := p.Assess(man, Query{AsOf: day("2024-06-01"), KnownAsOf: day("2023-06-01"), Jurisdictions: []string{"RU"}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Assess(man, Query{AsOf: day("2024-06-01"), KnownAsOf: day("2023-09-01"), Jurisdictions: []string{"RU"}})
	if err != nil {
		t.Fatal(err)
	}
	var c *Change
	d := Diff(a, b)
	for i := range d.Changes {
		if d.Changes[i].Rule == "ru-conscription-age" {
			c = &d.Changes[i]
		}
	}
	if c == nil || !hasReason(*c, "known") || !hasReason(*c, "end_known") {
		t.Fatalf("diff = %+v", d.Changes)
	}
	for _, r := range c.Reasons {
		if r.Code == "end_known" && r.Text["en"] != "the end of version 1 on 2024-01-01 became known on 2023-08-04" {
			t.Errorf("reason %q", r.Text["en"])
		}
	}
}
