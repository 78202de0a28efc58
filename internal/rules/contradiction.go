package rules

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"cel.dev/cel-go/common/types"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// maxCombinations bounds the search for facts under which two rules apply
// together. Past it, only the pack's own tests are tried.
const maxCombinations = 50_000

// checkContradictions reports two rules on the same subject with different
// pathway kinds (open, closed, contested) that can apply on the same day to
// the same facts, unless one overrides the other. "Can apply together" is
// decided by search: every combination of values the two conditions
// distinguish (each bool both ways, each enum value, each compared number
// and date and its neighbours) is tried, like a small model checker; the
// first combination under which both apply is reported as the example.
func (l *loader) checkContradictions() {
	rs := l.p.Rules
	for i, a := range rs {
		for _, b := range rs[i+1:] {
			if !l.mayContradict(a, b) {
				continue
			}
			if ex, ok := l.p.together(a, b, l.p.Tests); ok {
				l.ps.add(b.file, b.line, "rule %s (%s) and rule %s (%s, %s:%d) are on the same subject %q and both apply %s; link them with overrides or make their conditions exclusive",
					b.ID, b.Kind, a.ID, a.Kind, a.file, a.line, a.Subject, ex)
			}
		}
	}
}

func (l *loader) mayContradict(a, b *Rule) bool {
	return a.ID != b.ID && a.Subject == b.Subject && a.Kind != b.Kind && a.Kind.pathway() && b.Kind.pathway() &&
		a.prg != nil && b.prg != nil && overlap(a, b) && !l.p.overrides(a, b) && !l.p.overrides(b, a)
}

// together searches for an as-of date and facts under which both rules
// apply, and describes them.
func (p *Pack) together(a, b *Rule, tests []Test) (string, bool) {
	refs := slices.Clone(a.refs)
	for _, r := range b.refs {
		if !slices.Contains(refs, r) {
			refs = append(refs, r)
		}
	}
	lits := literals{ints: append(slices.Clone(a.lits.ints), b.lits.ints...),
		dates: append(slices.Clone(a.lits.dates), b.lits.dates...), strings: append(slices.Clone(a.lits.strings), b.lits.strings...)}
	days := p.candidateDays(a, b, lits)
	domains := make([][]*casefile.Value, len(refs))
	total := len(days)
	for i, name := range refs {
		domains[i] = p.domain(name, lits, days)
		total *= len(domains[i])
	}
	if total <= maxCombinations {
		return p.searchAll(a, b, refs, domains, days)
	}
	return p.searchTests(a, b, tests)
}

// candidateDays are the as-of dates worth trying: the start of the common
// period, the dates the conditions name inside it, and its last day.
func (p *Pack) candidateDays(a, b *Rule, lits literals) []casefile.Date {
	start := a.ValidFrom
	if b.ValidFrom.After(start) {
		start = b.ValidFrom
	}
	days := []casefile.Date{start}
	end := a.ValidTo
	if end == nil || (b.ValidTo != nil && b.ValidTo.Before(*end)) {
		end = b.ValidTo
	}
	for _, d := range lits.dates {
		for _, x := range []casefile.Date{d.AddDays(-1), d, d.AddDays(1)} {
			if !x.Before(start) && (end == nil || x.Before(*end)) && !slices.Contains(days, x) {
				days = append(days, x)
			}
		}
	}
	if end != nil && !slices.Contains(days, end.AddDays(-1)) {
		days = append(days, end.AddDays(-1))
	}
	return days
}

// domain lists the values of a fact worth trying.
func (p *Pack) domain(name string, lits literals, days []casefile.Date) []*casefile.Value {
	f := p.facts[name]
	var out []*casefile.Value
	add := func(v casefile.Value) {
		if !slices.ContainsFunc(out, func(w *casefile.Value) bool { return w.Equal(v) }) {
			out = append(out, &v)
		}
	}
	switch f.Type {
	case casefile.TypeBool:
		add(casefile.Bool(true))
		add(casefile.Bool(false))
	case casefile.TypeEnum:
		for _, v := range f.Values {
			add(casefile.Enum(v.Value))
		}
	case casefile.TypeEnumList:
		add(casefile.EnumList())
		var all []string
		for _, v := range f.Values {
			add(casefile.EnumList(v.Value))
			all = append(all, v.Value)
		}
		add(casefile.EnumList(all...))
	case casefile.TypeInteger:
		add(casefile.Int(0))
		for _, n := range lits.ints {
			add(casefile.Int(n - 1))
			add(casefile.Int(n))
			add(casefile.Int(n + 1))
		}
	case casefile.TypeDate:
		for _, d := range lits.dates {
			add(casefile.DateValue(d.AddDays(-1)))
			add(casefile.DateValue(d))
			add(casefile.DateValue(d.AddDays(1)))
		}
		for _, day := range days { // birth dates that make an age compared with a number
			for _, n := range lits.ints {
				if n > 0 && n < 150 {
					b := casefile.Date{Year: day.Year - int(n), Month: day.Month, Day: day.Day}
					add(casefile.DateValue(b.AddDays(-1)))
					add(casefile.DateValue(b))
					add(casefile.DateValue(b.AddDays(1)))
				}
			}
		}
		if len(out) == 0 {
			add(casefile.DateValue(days[0]))
		}
	case casefile.TypeText:
		add(casefile.Text(""))
		for _, s := range lits.strings {
			add(casefile.Text(s))
		}
	}
	return out
}

func (p *Pack) searchAll(a, b *Rule, refs []string, domains [][]*casefile.Value, days []casefile.Date) (string, bool) {
	idx := make([]int, len(refs))
	for {
		facts := make(map[string]*casefile.Value, len(refs))
		for i, name := range refs {
			facts[name] = domains[i][idx[i]]
		}
		for _, day := range days {
			act := p.activation(facts, day)
			if applies(a, act) && applies(b, act) {
				return describe(day, refs, facts), true
			}
		}
		if !next(idx, domains) {
			return "", false
		}
	}
}

// next advances idx like an odometer; false when every combination is done.
func next(idx []int, domains [][]*casefile.Value) bool {
	for i := range idx {
		idx[i]++
		if idx[i] < len(domains[i]) {
			return true
		}
		idx[i] = 0
	}
	return false
}

func (p *Pack) searchTests(a, b *Rule, tests []Test) (string, bool) {
	for _, t := range tests {
		facts := knownValues(t.Facts)
		act := p.activation(facts, t.AsOf)
		if applies(a, act) && applies(b, act) {
			return fmt.Sprintf("in test %q", t.Name), true
		}
	}
	return "", false
}

func applies(r *Rule, act map[string]any) bool {
	out, _, err := r.prg.Eval(act)
	return err == nil && out == types.True
}

func describe(day casefile.Date, refs []string, facts map[string]*casefile.Value) string {
	parts := []string{"as of " + day.String()}
	sorted := slices.Clone(refs)
	sort.Strings(sorted)
	for _, name := range sorted {
		parts = append(parts, fmt.Sprintf("%s = %s", name, facts[name]))
	}
	if len(refs) == 0 {
		return parts[0]
	}
	return parts[0] + " with " + strings.Join(parts[1:], ", ")
}
