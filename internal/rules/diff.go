package rules

import (
	"fmt"
	"maps"
	"slices"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// Difference explains what changed from one assessment to another.
type Difference struct {
	From        Ref          `json:"from"`
	To          Ref          `json:"to"`
	PackChanged bool         `json:"pack_changed"`
	FactChanges []FactChange `json:"fact_changes,omitempty"`
	Changes     []Change     `json:"changes"`
}

// Ref is what identifies an assessment in a difference.
type Ref struct {
	AsOf      casefile.Date `json:"as_of"`
	KnownAsOf casefile.Date `json:"known_as_of"`
	Pack      PackRef       `json:"pack"`
}

// FactChange is a fact that stands differently in the two assessments.
type FactChange struct {
	Name   string     `json:"name"`
	Before *TraceFact `json:"before"`
	After  *TraceFact `json:"after"`
}

// What a change to a finding is.
const (
	ChangeAdded   = "added"
	ChangeRemoved = "removed"
	ChangeStatus  = "status"  // applies ↔ undetermined
	ChangeVersion = "version" // another version of the rule
	ChangeText    = "text"    // same rule, other fact values in its text
)

// Change is one finding that differs, with the reasons found for it.
type Change struct {
	Rule         string   `json:"rule"`
	Jurisdiction string   `json:"jurisdiction"`
	Kind         Kind     `json:"kind"`
	Change       string   `json:"change"`
	Before       *Finding `json:"before,omitempty"`
	After        *Finding `json:"after,omitempty"`
	Reasons      []Reason `json:"reasons"`
}

// Reason says why a finding changed.
type Reason struct {
	Code string `json:"code"`
	Text Text   `json:"text"`
}

// Diff compares assessment a with assessment b, finding by finding, and
// gives the reasons for each change: a rule came into or went out of force,
// became known, was revised, a fact it reads changed, the pack changed.
func Diff(a, b *Assessment) Difference {
	d := Difference{From: refOf(a), To: refOf(b), PackChanged: a.Pack.Hash != b.Pack.Hash}
	d.FactChanges = factChanges(a.Facts, b.Facts)
	before, after := byRule(a.Findings), byRule(b.Findings)
	for _, id := range unionKeys(before, after) {
		if c, ok := compare(a, b, before[id], after[id], d); ok {
			d.Changes = append(d.Changes, c)
		}
	}
	return d
}

func refOf(a *Assessment) Ref { return Ref{AsOf: a.AsOf, KnownAsOf: a.KnownAsOf, Pack: a.Pack} }

func byRule(fs []Finding) map[string]*Finding {
	m := map[string]*Finding{}
	for i := range fs {
		m[fs[i].Rule] = &fs[i]
	}
	return m
}

func unionKeys(a, b map[string]*Finding) []string {
	keys := slices.Collect(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

func compare(a, b *Assessment, x, y *Finding, d Difference) (Change, bool) {
	var c Change
	switch {
	case x == nil:
		c = Change{Rule: y.Rule, Jurisdiction: y.Jurisdiction, Kind: y.Kind, Change: ChangeAdded, After: y}
	case y == nil:
		c = Change{Rule: x.Rule, Jurisdiction: x.Jurisdiction, Kind: x.Kind, Change: ChangeRemoved, Before: x}
	case x.Version != y.Version:
		c = Change{Rule: y.Rule, Jurisdiction: y.Jurisdiction, Kind: y.Kind, Change: ChangeVersion, Before: x, After: y}
	case x.Status != y.Status:
		c = Change{Rule: y.Rule, Jurisdiction: y.Jurisdiction, Kind: y.Kind, Change: ChangeStatus, Before: x, After: y}
	case !maps.Equal(x.Text, y.Text) && tracesDiffer(x.Trace, y.Trace):
		// The text also names the as-of date; only a change in the facts
		// it shows counts.
		c = Change{Rule: y.Rule, Jurisdiction: y.Jurisdiction, Kind: y.Kind, Change: ChangeText, Before: x, After: y}
	default:
		return Change{}, false
	}
	c.Reasons = reasons(a, b, c, d)
	return c, true
}

// reasons collects every explanation that fits the change.
func reasons(a, b *Assessment, c Change, d Difference) []Reason {
	f := c.After
	if f == nil {
		f = c.Before
	}
	var rs []Reason
	rs = append(rs, forceReasons(a, b, c)...)
	if c.Change == ChangeVersion {
		rs = append(rs, reasonf("revised", "the rule was revised (version %d → %d)",
			"правило изменено (версия %d → %d)", "die Regel wurde geändert (Version %d → %d)", c.Before.Version, c.After.Version))
	}
	for _, fc := range d.FactChanges {
		if readsFact(c.Before, fc.Name) || readsFact(c.After, fc.Name) {
			rs = append(rs, factReason(fc))
		}
	}
	if !slices.Contains(a.Jurisdictions, f.Jurisdiction) || !slices.Contains(b.Jurisdictions, f.Jurisdiction) {
		rs = append(rs, reasonf("jurisdictions", "jurisdiction %s was assessed only once",
			"юрисдикция %s оценивалась только в одной из оценок", "die Rechtsordnung %s wurde nur einmal geprüft", f.Jurisdiction))
	}
	for _, side := range []*Assessment{a, b} {
		for _, dp := range side.Displaced {
			if dp.Rule == f.Key() {
				rs = append(rs, reasonf("displaced", "on %s it was displaced by the more specific rule %s",
					"на %s её вытеснило более специальное правило %s", "am %s wurde sie von der spezielleren Regel %s verdrängt", side.AsOf, dp.By))
			}
		}
	}
	if d.PackChanged {
		rs = append(rs, reasonf("pack", "the knowledge pack changed (%s → %s)",
			"база знаний изменилась (%s → %s)", "das Wissenspaket hat sich geändert (%s → %s)", a.Pack.Version, b.Pack.Version))
	}
	return rs
}

// forceReasons explains a change by the rule's dates: in force, and known.
func forceReasons(a, b *Assessment, c Change) []Reason {
	var rs []Reason
	inForce := func(x *Finding, day casefile.Date) bool {
		return !day.Before(x.ValidFrom) && (x.ValidTo == nil || day.Before(*x.ValidTo))
	}
	for _, x := range []*Finding{c.Before, c.After} {
		if x == nil {
			continue
		}
		if inForce(x, a.AsOf) != inForce(x, b.AsOf) {
			if !a.AsOf.Before(x.ValidFrom) != !b.AsOf.Before(x.ValidFrom) {
				rs = append(rs, reasonf("in_force", "version %d came into force on %s",
					"версия %d вступила в силу %s", "Version %d ist am %s in Kraft getreten", x.Version, x.ValidFrom))
			} else if x.ValidTo != nil {
				rs = append(rs, reasonf("out_of_force", "version %d went out of force on %s",
					"версия %d утратила силу %s", "Version %d ist am %s außer Kraft getreten", x.Version, *x.ValidTo))
			}
		}
		if a.KnownAsOf.Before(x.KnownFrom) != b.KnownAsOf.Before(x.KnownFrom) {
			rs = append(rs, reasonf("known", "version %d became known on %s",
				"о версии %d стало известно %s", "Version %d wurde am %s bekannt", x.Version, x.KnownFrom))
		}
		if e := x.EndKnown; e != nil && x.ValidTo != nil && a.KnownAsOf.Before(*e) != b.KnownAsOf.Before(*e) {
			rs = append(rs, reasonf("end_known", "the end of version %d on %s became known on %s",
				"о прекращении действия версии %d с %s стало известно %s", "Das Ende von Version %d am %s wurde am %s bekannt",
				x.Version, *x.ValidTo, *e))
		}
	}
	return rs
}

func tracesDiffer(a, b []TraceFact) bool {
	if len(a) != len(b) {
		return true
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Name != y.Name || x.State != y.State || (x.Value == nil) != (y.Value == nil) || (x.Value != nil && !x.Value.Equal(*y.Value)) {
			return true
		}
	}
	return false
}

func readsFact(f *Finding, name string) bool {
	return f != nil && slices.ContainsFunc(f.Trace, func(t TraceFact) bool { return t.Name == name })
}

func factReason(fc FactChange) Reason {
	return reasonf("fact", "the fact %s changed: %s → %s", "факт %s изменился: %s → %s",
		"die Tatsache %s hat sich geändert: %s → %s", fc.Name, traceText(fc.Before), traceText(fc.After))
}

func traceText(t *TraceFact) string {
	switch {
	case t == nil || t.State == casefile.StateNotAsked:
		return "not asked"
	case t.Value != nil:
		return t.Value.String()
	}
	return string(t.State)
}

// factChanges compares the facts two assessments used.
func factChanges(a, b []casefile.Fact) []FactChange {
	am, bm := traceMap(a), traceMap(b)
	names := slices.Collect(maps.Keys(am))
	for n := range bm {
		if _, ok := am[n]; !ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	var out []FactChange
	for _, n := range names {
		x, y := am[n], bm[n]
		if x != nil && y != nil && x.State == y.State && (x.Value == nil) == (y.Value == nil) && (x.Value == nil || x.Value.Equal(*y.Value)) {
			continue
		}
		out = append(out, FactChange{Name: n, Before: x, After: y})
	}
	return out
}

func traceMap(facts []casefile.Fact) map[string]*TraceFact {
	m := map[string]*TraceFact{}
	for _, f := range facts {
		m[f.Name] = &TraceFact{Name: f.Name, State: f.State, Value: f.Value}
	}
	return m
}

// reasonf builds a reason in the three languages from one set of arguments.
func reasonf(code, en, ru, de string, args ...any) Reason {
	return Reason{Code: code, Text: Text{"en": fmt.Sprintf(en, args...), "ru": fmt.Sprintf(ru, args...), "de": fmt.Sprintf(de, args...)}}
}
