package rules

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// Test is one test case of a pack: facts, dates, and the findings that
// must and must not come out.
type Test struct {
	Name          string
	AsOf          casefile.Date
	KnownAsOf     casefile.Date
	Jurisdictions []string
	Facts         []casefile.Fact
	Present       []string
	Absent        []string
	Undetermined  []string

	file string
	line int
}

// Where returns the test's file and line.
func (t Test) Where() string { return fmt.Sprintf("%s:%d", t.file, t.line) }

func (l *loader) loadTests(file string) {
	for _, n := range l.docs[file].Content {
		o, ok := asObj(l.ps, file, n, "name", "as_of", "known_as_of", "jurisdictions", "facts", "unknown",
			"present", "absent", "undetermined")
		if !ok {
			continue
		}
		t := Test{Name: o.str("name", true), Jurisdictions: o.strings("jurisdictions"), Present: o.strings("present"),
			Absent: o.strings("absent"), Undetermined: o.strings("undetermined"), file: file, line: o.line}
		if d := o.date("as_of", true); d != nil {
			t.AsOf = *d
		}
		t.KnownAsOf = t.AsOf
		if d := o.date("known_as_of", false); d != nil {
			t.KnownAsOf = *d
		}
		t.Facts = l.testFacts(o)
		l.checkTestRefs(o, t)
		l.p.Tests = append(l.p.Tests, t)
	}
}

// testFacts reads the known facts (a mapping of name to value, a list for
// an enum list) and the unknown ones (a list of names).
func (l *loader) testFacts(o *obj) []casefile.Fact {
	var facts []casefile.Fact
	if n, ok := o.fields["facts"]; ok && n.Tag != "!!null" {
		fo, ok := asObj(l.ps, o.file, n, l.factNames()...)
		if ok {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if f, ok := l.testFact(fo, n.Content[i].Value, n.Content[i+1]); ok {
					facts = append(facts, f)
				}
			}
		}
	}
	for _, name := range o.strings("unknown") {
		if _, ok := l.p.facts[name]; !ok {
			o.errf("unknown", "%q is not a fact", name)
			continue
		}
		facts = append(facts, casefile.Fact{Name: name, State: casefile.StateUnknown, Source: casefile.SourceStatement})
	}
	return facts
}

func (l *loader) factNames() []string {
	names := make([]string, len(l.p.Facts))
	for i, f := range l.p.Facts {
		names[i] = f.Name
	}
	return names
}

func (l *loader) testFact(o *obj, name string, n *yaml.Node) (casefile.Fact, bool) {
	def, ok := l.p.vocab.Lookup(name)
	if !ok {
		return casefile.Fact{}, false // reported by asObj
	}
	text := n.Value
	if n.Kind == yaml.SequenceNode {
		var items []string
		for _, it := range n.Content {
			items = append(items, it.Value)
		}
		text = strings.Join(items, ",")
	}
	v, err := casefile.ParseValue(def, text)
	if err != nil {
		l.ps.add(o.file, n.Line, "facts: %s: %v", name, err)
		return casefile.Fact{}, false
	}
	return casefile.Fact{Name: name, State: casefile.StateKnown, Value: &v, Source: casefile.SourceStatement}, true
}

func (l *loader) checkTestRefs(o *obj, t Test) {
	for _, field := range []string{"present", "absent", "undetermined"} {
		for _, id := range o.strings(field) {
			if !slices.ContainsFunc(l.p.Rules, func(r *Rule) bool { return r.ID == id }) {
				o.errf(field, "unknown rule %q", id)
			}
		}
	}
	for _, j := range t.Jurisdictions {
		if !l.hasJurisdiction(j) {
			o.errf("jurisdictions", "unknown jurisdiction %q", j)
		}
	}
}

func knownValues(facts []casefile.Fact) map[string]*casefile.Value {
	out := map[string]*casefile.Value{}
	for _, f := range facts {
		if f.State == casefile.StateKnown {
			out[f.Name] = f.Value
		}
	}
	return out
}
