package rules

import (
	"regexp"
	"slices"
	"strings"
)

func kindNames() []string {
	var out []string
	for _, k := range Kinds() {
		out = append(out, string(k))
	}
	return out
}

var ruleFields = []string{"id", "version", "jurisdiction", "kind", "subject", "valid_from", "valid_to",
	"known_from", "end_known_from", "condition", "finding", "sources", "confidence", "overrides", "note"}

func (l *loader) loadRules(file string) {
	for _, n := range l.docs[file].Content {
		o, ok := asObj(l.ps, file, n, ruleFields...)
		if !ok {
			continue
		}
		r := &Rule{ID: o.id("id"), Version: o.integer("version", true), Jurisdiction: o.str("jurisdiction", true),
			Kind: Kind(o.enum("kind", kindNames()...)), Subject: o.id("subject"), Condition: o.str("condition", true),
			Finding: o.text("finding", true), Confidence: Confidence(o.enum("confidence", confidences()...)),
			Overrides: o.strings("overrides"), Note: o.str("note", false), file: file, line: o.line}
		l.checkRuleHead(o, r)
		l.ruleDates(o, r)
		r.Sources = l.citations(o, r)
		l.checkFinding(o, r)
		if c := l.compile(o, "condition", r.Condition); c != nil {
			r.prg, r.refs, r.lits = c.prg, c.refs, c.lits
		}
		l.p.Rules = append(l.p.Rules, r)
	}
}

func (l *loader) checkRuleHead(o *obj, r *Rule) {
	if o.has("version") && r.Version < 1 {
		o.errf("version", "must be 1 or more")
	}
	if r.Jurisdiction != "" && !l.hasJurisdiction(r.Jurisdiction) {
		o.errf("jurisdiction", "%q is not in %s", r.Jurisdiction, jurisdictionsFile)
	} else if r.Jurisdiction != "" && r.ID != "" && !strings.HasPrefix(r.ID, prefixOf(r.Jurisdiction)) {
		o.errf("id", "%q must start with %q, its jurisdiction", r.ID, prefixOf(r.Jurisdiction))
	}
}

func (l *loader) ruleDates(o *obj, r *Rule) {
	if d := o.date("valid_from", true); d != nil {
		r.ValidFrom = *d
	}
	r.ValidTo = o.date("valid_to", false)
	if d := o.date("known_from", true); d != nil {
		r.KnownFrom = *d
	}
	if r.ValidTo != nil && !r.ValidFrom.IsZero() && !r.ValidFrom.Before(*r.ValidTo) {
		o.errf("valid_to", "%s is not after valid_from %s (the end date is exclusive)", r.ValidTo, r.ValidFrom)
	}
	r.EndKnownFrom = o.date("end_known_from", false)
	switch {
	case r.EndKnownFrom == nil:
	case r.ValidTo == nil:
		o.errf("end_known_from", "is set, but the rule has no valid_to")
	case r.EndKnownFrom.Before(r.KnownFrom):
		o.errf("end_known_from", "%s is before known_from %s: the end of a rule cannot be known before the rule", r.EndKnownFrom, r.KnownFrom)
	}
}

func (l *loader) citations(o *obj, r *Rule) []Citation {
	items := o.items("sources", true)
	if o.has("sources") && len(items) == 0 {
		o.errf("sources", "a rule must cite at least one source")
	}
	var out []Citation
	best := 0
	for _, it := range items {
		co, ok := asObj(l.ps, o.file, it, "id", "pinpoint", "corroborates")
		if !ok {
			continue
		}
		c := Citation{Source: co.str("id", true), Pinpoint: co.str("pinpoint", true), Corroborates: co.boolean("corroborates")}
		s, ok := l.p.sources[c.Source]
		switch {
		case !ok && c.Source != "":
			co.errf("id", "unknown source %q (not in %s)", c.Source, sourcesFile)
		case ok:
			c.published, _ = PublishedDay(s.Published)
			checkCitedDate(co, r, s, c)
			if !c.Corroborates {
				best = max(best, s.Confidence.rank())
			}
		}
		out = append(out, c)
	}
	if len(items) > 0 && best == 0 {
		o.errf("sources", "every source is marked corroborates: the finding must rest on one published by known_from")
	}
	if best > 0 && r.Confidence.rank() > best {
		o.errf("confidence", "%s, but its best source is only %s", r.Confidence, rankName(best))
	}
	return out
}

func rankName(n int) Confidence {
	for _, c := range []Confidence{ConfidenceHigh, ConfidenceMedium, ConfidenceLow} {
		if c.rank() == n {
			return c
		}
	}
	return ""
}

var placeholder = regexp.MustCompile(`\{([a-z][a-z0-9_]*)\}`)

// checkFinding requires every {placeholder} to name a fact or as_of.
func (l *loader) checkFinding(o *obj, r *Rule) {
	for _, lang := range languages {
		for _, m := range placeholder.FindAllStringSubmatch(r.Finding[lang], -1) {
			if _, ok := l.p.facts[m[1]]; !ok && m[1] != "as_of" {
				o.errf("finding", "the %s text names {%s}, which is not a fact", lang, m[1])
			}
		}
	}
	if slices.Contains(r.Overrides, r.ID) {
		o.errf("overrides", "a rule cannot override itself")
	}
}

// checkCitedDate keeps what a finding rests on to what had been published
// by the day the rule became known: an assessment as known on a day must
// not rest on a source from after it (a rule whose sources report later
// events is split, one version for each state of the law). A citation
// marked corroborates must be such a later source.
func checkCitedDate(o *obj, r *Rule, s *Source, c Citation) {
	if r.KnownFrom.IsZero() || c.published.IsZero() {
		return
	}
	later := c.published.After(r.KnownFrom)
	switch {
	case later && !c.Corroborates:
		o.errf("id", "%s was published %s, after the rule's known_from %s: a finding known on %s cannot cite it "+
			"(split the rule at the event the source reports, or move known_from)", s.ID, s.Published, r.KnownFrom, r.KnownFrom)
	case !later && c.Corroborates:
		o.errf("corroborates", "%s was published %s, by the rule's known_from %s: cite it as a source, not as corroboration", s.ID, s.Published, r.KnownFrom)
	}
}
