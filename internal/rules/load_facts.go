package rules

import (
	"slices"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

func typeNames() []string {
	var out []string
	for _, t := range casefile.Types() {
		out = append(out, string(t))
	}
	return out
}

type factLine struct {
	fact *Fact
	o    *obj
}

func (l *loader) loadFacts() {
	var read []factLine
	seen := map[string]int{}
	for _, n := range l.docs[factsFile].Content {
		o, ok := asObj(l.ps, factsFile, n, "name", "type", "values", "question", "help", "asked_if")
		if !ok {
			continue
		}
		f := &Fact{Name: o.str("name", true), Type: casefile.Type(o.enum("type", typeNames()...)),
			Question: o.text("question", true), Help: o.text("help", false), AskedIf: o.str("asked_if", false)}
		if f.Name != "" && (!casefile.ValidFactName(f.Name) || f.Name == "as_of") {
			o.errf("name", "%q must be lower-case letters, digits and underscores, starting with a letter (and not as_of)", f.Name)
			continue
		}
		if first, dup := seen[f.Name]; dup {
			o.errf("name", "fact %q is already declared on line %d", f.Name, first)
			continue
		}
		seen[f.Name] = o.line
		f.Values = l.factValues(o, f.Type)
		read = append(read, factLine{f, o})
	}
	l.buildVocabulary(read)
}

func (l *loader) factValues(o *obj, t casefile.Type) []FactValue {
	items := o.items("values", t == casefile.TypeEnum || t == casefile.TypeEnumList)
	if len(items) > 0 && t != casefile.TypeEnum && t != casefile.TypeEnumList {
		o.errf("values", "only enum and enum_list facts have values")
		return nil
	}
	var out []FactValue
	for _, it := range items {
		vo, ok := asObj(l.ps, o.file, it, "value", "label")
		if !ok {
			continue
		}
		v := FactValue{Value: vo.str("value", true), Label: vo.text("label", true)}
		if slices.ContainsFunc(out, func(x FactValue) bool { return x.Value == v.Value }) {
			vo.errf("value", "%q is listed twice", v.Value)
			continue
		}
		out = append(out, v)
	}
	return out
}

// buildVocabulary turns the facts into the case vocabulary and the CEL
// environment, then checks each asked_if condition against it.
func (l *loader) buildVocabulary(read []factLine) {
	var defs []casefile.FactDef
	for _, r := range read {
		d := casefile.FactDef{Name: r.fact.Name, Type: r.fact.Type, Question: r.fact.Question}
		for _, v := range r.fact.Values {
			d.Values = append(d.Values, v.Value)
		}
		defs = append(defs, d)
		l.p.Facts = append(l.p.Facts, *r.fact)
	}
	vocab, err := casefile.NewVocabulary(defs)
	if err != nil {
		l.ps.add(factsFile, 0, "%v", err)
		return
	}
	env, err := newEnv(defs)
	if err != nil {
		l.ps.add(factsFile, 0, "%v", err)
		return
	}
	l.p.vocab, l.p.env = vocab, env
	l.p.facts = map[string]*Fact{}
	for i := range l.p.Facts {
		l.p.facts[l.p.Facts[i].Name] = &l.p.Facts[i]
	}
	for i := range l.p.Facts {
		f := &l.p.Facts[i]
		if f.AskedIf != "" {
			c := l.compile(read[i].o, "asked_if", f.AskedIf)
			if c != nil && slices.Contains(c.refs, f.Name) {
				read[i].o.errf("asked_if", "may not depend on %s itself", f.Name)
			}
			if c != nil {
				f.askedIf = c.prg
			}
		}
	}
}

// compiled is a checked condition.
type compiled struct {
	prg  celProgram
	refs []string
	lits literals
}

// compile checks a condition and reports its problems at the field's line.
func (l *loader) compile(o *obj, field, expr string) *compiled {
	c, errs := compileCondition(l.p.env, expr, l.p.facts)
	for _, e := range errs {
		l.ps.add(o.file, o.lineOf(field)+e.line, "%s: %s", field, e.msg)
	}
	if len(errs) > 0 {
		return nil
	}
	return c
}
