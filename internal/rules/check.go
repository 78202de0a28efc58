package rules

import "sort"

// checkRules runs the checks that look at several rules at once: duplicate
// and overlapping versions, overrides that point nowhere, and rules that
// contradict each other.
func (l *loader) checkRules() {
	byID := map[string][]*Rule{}
	for _, r := range l.p.Rules {
		byID[r.ID] = append(byID[r.ID], r)
	}
	for _, versions := range byID {
		l.checkVersions(versions)
	}
	for _, r := range l.p.Rules {
		for _, o := range r.Overrides {
			if _, ok := byID[o]; !ok {
				l.ps.add(r.file, r.line, "overrides: unknown rule %q", o)
			}
		}
	}
	l.p.closeOverrides()
	sort.SliceStable(l.p.Rules, func(i, j int) bool { return l.ruleLess(l.p.Rules[i], l.p.Rules[j]) })
}

func (l *loader) checkVersions(vs []*Rule) {
	sort.Slice(vs, func(i, j int) bool { return vs[i].Version < vs[j].Version })
	l.endsKnown(vs)
	for i, a := range vs {
		for _, b := range vs[i+1:] {
			switch {
			case a.Version == b.Version:
				l.ps.add(b.file, b.line, "rule %s version %d is declared twice (also %s:%d)", b.ID, b.Version, a.file, a.line)
			case a.Jurisdiction != b.Jurisdiction:
				l.ps.add(b.file, b.line, "rule %s version %d has jurisdiction %s, version %d has %s", b.ID, b.Version, b.Jurisdiction, a.Version, a.Jurisdiction)
			case overlap(a, b) && a.KnownFrom == b.KnownFrom:
				l.ps.add(b.file, b.line, "rule %s: versions %d and %d are both in force on %s and known from the same day "+
					"(a version that overlaps another must be known later: it corrects it)", b.ID, a.Version, b.Version, laterStart(a, b))
			case overlap(a, b) && b.KnownFrom.Before(a.KnownFrom):
				l.ps.add(b.file, b.line, "rule %s: version %d overlaps version %d but is known earlier; a correction must come "+
					"later, with a higher version", b.ID, b.Version, a.Version)
			case overlap(a, b):
				a.correctedBy = append(a.correctedBy, b)
			}
		}
	}
}

// overlap reports whether two rules are in force on some common day.
func overlap(a, b *Rule) bool {
	return (b.ValidTo == nil || a.ValidFrom.Before(*b.ValidTo)) && (a.ValidTo == nil || b.ValidFrom.Before(*a.ValidTo))
}

func laterStart(a, b *Rule) string {
	if a.ValidFrom.After(b.ValidFrom) {
		return a.ValidFrom.String()
	}
	return b.ValidFrom.String()
}

// ruleLess orders rules by jurisdiction (as declared), kind, id, version.
func (l *loader) ruleLess(a, b *Rule) bool {
	if a.Jurisdiction != b.Jurisdiction {
		return l.p.juris[a.Jurisdiction] < l.p.juris[b.Jurisdiction]
	}
	if a.Kind != b.Kind {
		return kindRank(a.Kind) < kindRank(b.Kind)
	}
	if a.ID != b.ID {
		return a.ID < b.ID
	}
	return a.Version < b.Version
}

func kindRank(k Kind) int {
	for i, x := range Kinds() {
		if x == k {
			return i
		}
	}
	return len(Kinds())
}

// overrides reports whether a displaces b, directly or through a chain of
// overrides. The closure is computed once, when the pack loads.
func (p *Pack) overrides(a, b *Rule) bool { return p.displaces[a.ID][b.ID] }

// closeOverrides computes, for every rule id, every id it displaces.
func (p *Pack) closeOverrides() {
	direct := map[string][]string{}
	for _, r := range p.Rules {
		direct[r.ID] = append(direct[r.ID], r.Overrides...)
	}
	p.displaces = map[string]map[string]bool{}
	for id := range direct {
		seen := map[string]bool{}
		stack := append([]string(nil), direct[id]...)
		for len(stack) > 0 {
			o := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[o] {
				continue
			}
			seen[o] = true
			stack = append(stack, direct[o]...)
		}
		p.displaces[id] = seen
	}
}

// endsKnown sets when each version's end became known: end_known_from if
// the pack gives it, else when the version that follows it became known
// (that is when its end was learned), else — an end with no successor,
// set in advance — when the version itself became known.
func (l *loader) endsKnown(vs []*Rule) {
	for _, r := range vs {
		if r.ValidTo == nil {
			continue
		}
		next := successor(vs, r)
		switch {
		case r.EndKnownFrom != nil:
			r.endKnown = *r.EndKnownFrom
			if next != nil && next.KnownFrom.Before(r.endKnown) {
				l.ps.add(r.file, r.line, "rule %s version %d: end_known_from %s is after version %d's known_from %s, which tells its end",
					r.ID, r.Version, r.endKnown, next.Version, next.KnownFrom)
			}
		case next != nil && next.KnownFrom.After(r.KnownFrom):
			r.endKnown = next.KnownFrom
		default:
			r.endKnown = r.KnownFrom
		}
	}
}

// successor is the version that begins where r ends (the earliest to
// begin on or after its end), or nil.
func successor(vs []*Rule, r *Rule) *Rule {
	var next *Rule
	for _, v := range vs {
		if v != r && !v.ValidFrom.Before(*r.ValidTo) && (next == nil || v.ValidFrom.Before(next.ValidFrom)) {
			next = v
		}
	}
	return next
}
