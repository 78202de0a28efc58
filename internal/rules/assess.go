package rules

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"cel.dev/cel-go/common/types"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// Query says what to assess: as of which date the law applies, as known on
// which date, and for which jurisdictions.
type Query struct {
	AsOf casefile.Date
	// KnownAsOf is the day whose knowledge is used; zero means AsOf.
	KnownAsOf casefile.Date
	// Jurisdictions limits the assessment; empty means every one.
	Jurisdictions []string
}

// Status is whether a finding applies or cannot be decided yet.
type Status string

// The statuses of a finding.
const (
	StatusApplies      Status = "applies"
	StatusUndetermined Status = "undetermined"
)

// Assessment is the result of assessing facts against a pack.
type Assessment struct {
	AsOf          casefile.Date   `json:"as_of"`
	KnownAsOf     casefile.Date   `json:"known_as_of"`
	Pack          PackRef         `json:"pack"`
	Jurisdictions []string        `json:"jurisdictions"`
	Facts         []casefile.Fact `json:"facts"`
	Findings      []Finding       `json:"findings"`
	Displaced     []Displacement  `json:"displaced,omitempty"`
	Warnings      []Warning       `json:"warnings,omitempty"`
}

// PackRef names the exact pack an assessment used.
type PackRef struct {
	Name        string        `json:"name"`
	Version     string        `json:"version"`
	Hash        string        `json:"hash"`
	CoversUntil casefile.Date `json:"covers_until"`
}

// Finding is one rule's answer.
type Finding struct {
	Rule         string         `json:"rule"`
	Version      int            `json:"version"`
	Jurisdiction string         `json:"jurisdiction"`
	Kind         Kind           `json:"kind"`
	Subject      string         `json:"subject"`
	Status       Status         `json:"status"`
	Text         Text           `json:"text"`
	Sources      []CitedSource  `json:"sources"`
	Confidence   Confidence     `json:"confidence"`
	ValidFrom    casefile.Date  `json:"valid_from"`
	ValidTo      *casefile.Date `json:"valid_to,omitempty"`
	KnownFrom    casefile.Date  `json:"known_from"`
	EndKnown     *casefile.Date `json:"end_known,omitempty"`
	// Trace lists the facts the rule read, as they stood.
	Trace []TraceFact `json:"trace"`
	// Deciding names the facts whose answers would decide an undetermined
	// finding.
	Deciding []string `json:"deciding,omitempty"`
}

// Key is "rule@version".
func (f Finding) Key() string { return keyOf(f.Rule, f.Version) }

func keyOf(id string, version int) string { return fmt.Sprintf("%s@%d", id, version) }

// CitedSource is a source as cited by a finding.
type CitedSource struct {
	Source
	Pinpoint string `json:"pinpoint"`
}

// TraceFact is a fact as a rule read it.
type TraceFact struct {
	Name  string          `json:"name"`
	State casefile.State  `json:"state"`
	Value *casefile.Value `json:"value,omitempty"`
}

// Displacement records a finding not reported because a more specific rule
// that applies overrides it.
type Displacement struct {
	Rule string `json:"rule"`
	By   string `json:"by"`
}

// Warning is something the reader of an assessment must know.
type Warning struct {
	Code string `json:"code"`
	Text Text   `json:"text"`
}

// Assess assesses the facts as the query says. Facts outside the pack's
// vocabulary, or of another type than it declares, are left out with a
// warning.
func (p *Pack) Assess(facts []casefile.Fact, q Query) (*Assessment, error) {
	if q.AsOf.IsZero() {
		return nil, sanctuary.Invalid("the assessment needs a date", map[string]string{"as_of": "is required"})
	}
	if q.KnownAsOf.IsZero() {
		q.KnownAsOf = q.AsOf
	}
	juris, err := p.pickJurisdictions(q.Jurisdictions)
	if err != nil {
		return nil, err
	}
	a := &Assessment{AsOf: q.AsOf, KnownAsOf: q.KnownAsOf, Jurisdictions: juris,
		Pack: PackRef{Name: p.Name, Version: p.Version, Hash: p.Hash, CoversUntil: p.CoversUntil}}
	byName := p.usableFacts(facts, a)
	act, err := p.env.PartialVars(p.activation(valuesOf(byName), q.AsOf))
	if err != nil {
		return nil, fmt.Errorf("rules: facts for the conditions: %w", err)
	}
	for _, r := range p.Rules {
		if !r.AppliesOn(q.AsOf, q.KnownAsOf) || !slices.Contains(juris, r.Jurisdiction) {
			continue
		}
		if f, ok := p.evaluate(r, act, byName, q.AsOf, a); ok {
			a.Findings = append(a.Findings, f)
		}
	}
	p.displace(a)
	if q.AsOf.After(p.CoversUntil) {
		a.Warnings = append(a.Warnings, staleWarning(q.AsOf, p.CoversUntil))
	}
	return a, nil
}

func (p *Pack) pickJurisdictions(want []string) ([]string, error) {
	if len(want) == 0 {
		var all []string
		for _, j := range p.Jurisdictions {
			all = append(all, j.Code)
		}
		return all, nil
	}
	errs := map[string]string{}
	var out []string
	for i, code := range want {
		if _, ok := p.juris[code]; !ok {
			errs[fmt.Sprintf("jurisdictions[%d]", i)] = fmt.Sprintf("%q is not a jurisdiction of the knowledge pack", code)
			continue
		}
		if !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	if len(errs) > 0 {
		return nil, sanctuary.Invalid("the assessment cannot be made", errs)
	}
	sort.Slice(out, func(i, j int) bool { return p.juris[out[i]] < p.juris[out[j]] })
	return out, nil
}

// usableFacts keeps the facts the vocabulary knows with the type it
// declares, recording them on the assessment.
func (p *Pack) usableFacts(facts []casefile.Fact, a *Assessment) map[string]casefile.Fact {
	by := map[string]casefile.Fact{}
	for _, f := range facts {
		def, ok := p.facts[f.Name]
		switch {
		case !ok:
			a.Warnings = append(a.Warnings, ignoredFact(f.Name, "it is not in the knowledge pack"))
		case f.State == casefile.StateKnown && (f.Value == nil || f.Value.Type != def.Type):
			a.Warnings = append(a.Warnings, ignoredFact(f.Name, "its type differs from the knowledge pack's"))
		case f.State == casefile.StateKnown || f.State == casefile.StateUnknown:
			by[f.Name] = f
			a.Facts = append(a.Facts, f)
		}
	}
	return by
}

func valuesOf(facts map[string]casefile.Fact) map[string]*casefile.Value {
	out := make(map[string]*casefile.Value, len(facts))
	for name, f := range facts {
		if f.State == casefile.StateKnown {
			out[name] = f.Value
		}
	}
	return out
}

// activation turns known values into CEL variables; every other fact stays
// unknown to the conditions.
func (p *Pack) activation(values map[string]*casefile.Value, asOf casefile.Date) map[string]any {
	vars := make(map[string]any, len(values)+1)
	vars["as_of"] = asOf.Time()
	for name, v := range values {
		vars[name] = nativeValue(*v)
	}
	return vars
}

func nativeValue(v casefile.Value) any {
	switch v.Type {
	case casefile.TypeBool:
		return v.Bool
	case casefile.TypeInteger:
		return v.Int
	case casefile.TypeDate:
		return v.Date.Time()
	case casefile.TypeEnumList:
		if v.List == nil {
			return []string{}
		}
		return v.List
	}
	return v.Text
}

// evaluate runs one rule; a rule that does not apply yields nothing.
func (p *Pack) evaluate(r *Rule, act any, facts map[string]casefile.Fact, asOf casefile.Date, a *Assessment) (Finding, bool) {
	out, _, err := r.prg.Eval(act)
	if err != nil {
		a.Warnings = append(a.Warnings, ruleError(r, err))
		return Finding{}, false
	}
	f := p.finding(r, facts, asOf, a.KnownAsOf)
	switch {
	case out == types.True:
		f.Status = StatusApplies
	case types.IsUnknown(out):
		f.Status = StatusUndetermined
		f.Deciding = decidingFacts(out.(*types.Unknown), r.refs)
	default:
		return Finding{}, false
	}
	return f, true
}

// decidingFacts names the unknown facts an undetermined result hangs on,
// in the order the condition reads them.
func decidingFacts(u *types.Unknown, refs []string) []string {
	found := map[string]bool{}
	for _, id := range u.IDs() {
		trails, _ := u.GetAttributeTrails(id)
		for _, t := range trails {
			found[t.Variable()] = true
		}
	}
	var out []string
	for _, r := range refs {
		if found[r] {
			out = append(out, r)
		}
	}
	return out
}

// finding builds the rule's finding; it cites only the sources published
// by known (a later corroboration is not cited before it exists).
func (p *Pack) finding(r *Rule, facts map[string]casefile.Fact, asOf, known casefile.Date) Finding {
	f := Finding{Rule: r.ID, Version: r.Version, Jurisdiction: r.Jurisdiction, Kind: r.Kind, Subject: r.Subject,
		Confidence: r.Confidence, ValidFrom: r.ValidFrom, ValidTo: r.ValidTo, KnownFrom: r.KnownFrom, EndKnown: endKnownOf(r),
		Text: p.interpolate(r.Finding, facts, asOf), Trace: []TraceFact{}}
	for _, c := range r.Sources {
		if c.published.After(known) {
			continue
		}
		f.Sources = append(f.Sources, CitedSource{Source: *p.sources[c.Source], Pinpoint: c.Pinpoint})
	}
	for _, name := range r.refs {
		t := TraceFact{Name: name, State: casefile.StateNotAsked}
		if fact, ok := facts[name]; ok {
			t.State, t.Value = fact.State, fact.Value
		}
		f.Trace = append(f.Trace, t)
	}
	return f
}

// interpolate replaces {fact} by the fact's value (an enum by its label)
// and {as_of} by the date, in each language.
func (p *Pack) interpolate(t Text, facts map[string]casefile.Fact, asOf casefile.Date) Text {
	out := make(Text, len(t))
	for lang, s := range t {
		if !strings.Contains(s, "{") {
			out[lang] = s
			continue
		}
		out[lang] = placeholder.ReplaceAllStringFunc(s, func(m string) string {
			return p.render(m[1:len(m)-1], lang, facts, asOf)
		})
	}
	return out
}

func (p *Pack) render(name, lang string, facts map[string]casefile.Fact, asOf casefile.Date) string {
	if name == "as_of" {
		return asOf.String()
	}
	f, ok := facts[name]
	if !ok || f.Value == nil {
		return Text{"ru": "(неизвестно)", "en": "(unknown)", "de": "(unbekannt)"}.In(lang)
	}
	def := p.facts[name]
	label := func(v string) string {
		for _, fv := range def.Values {
			if fv.Value == v {
				return fv.Label.In(lang)
			}
		}
		return v
	}
	switch f.Value.Type {
	case casefile.TypeEnum:
		return label(f.Value.Text)
	case casefile.TypeEnumList:
		var parts []string
		for _, v := range f.Value.List {
			parts = append(parts, label(v))
		}
		return strings.Join(parts, ", ")
	}
	return f.Value.String()
}

// displace removes findings of rules that an applying rule overrides.
func (p *Pack) displace(a *Assessment) {
	kept := a.Findings[:0]
	for _, f := range a.Findings {
		if by, ok := p.displacedBy(f, a.Findings); ok {
			a.Displaced = append(a.Displaced, Displacement{Rule: f.Key(), By: by})
			continue
		}
		kept = append(kept, f)
	}
	a.Findings = kept
}

func (p *Pack) displacedBy(f Finding, all []Finding) (string, bool) {
	for _, g := range all {
		if g.Status == StatusApplies && g.Rule != f.Rule && p.displaces[g.Rule][f.Rule] {
			return g.Key(), true
		}
	}
	return "", false
}

// traceJSON is the wire form of a TraceFact: the value's type travels with
// it so that a stored assessment reads back without a vocabulary.
type traceJSON struct {
	Name  string          `json:"name"`
	State casefile.State  `json:"state"`
	Type  casefile.Type   `json:"type,omitempty"`
	Value json.RawMessage `json:"value,omitempty"`
}

// MarshalJSON writes the fact with its value's type.
func (t TraceFact) MarshalJSON() ([]byte, error) {
	j := traceJSON{Name: t.Name, State: t.State}
	if t.Value != nil {
		raw, err := t.Value.MarshalJSON()
		if err != nil {
			return nil, err
		}
		j.Type, j.Value = t.Value.Type, raw
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (t *TraceFact) UnmarshalJSON(b []byte) error {
	var j traceJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*t = TraceFact{Name: j.Name, State: j.State}
	if len(j.Value) > 0 && string(j.Value) != "null" {
		v, err := casefile.DecodeTyped(j.Type, j.Value)
		if err != nil {
			return fmt.Errorf("trace fact %s: %w", j.Name, err)
		}
		t.Value = &v
	}
	return nil
}

// endKnownOf is when the rule's end became known, or nil if it has none.
func endKnownOf(r *Rule) *casefile.Date {
	if r.ValidTo == nil {
		return nil
	}
	d := r.EndKnown()
	return &d
}
