package casefile

import (
	"fmt"
	"regexp"
	"slices"
)

// FactDef declares one fact of a vocabulary: its name, its type and, for
// enums, the values it may take. Question holds the interview question per
// language (ru, en, de).
type FactDef struct {
	Name     string            `json:"name"`
	Type     Type              `json:"type"`
	Values   []string          `json:"values,omitempty"`
	Question map[string]string `json:"question,omitempty"`
}

// Check reports what is wrong with v as a value of this fact, or nil. The
// message is safe to show.
func (d FactDef) Check(v Value) error {
	if v.Type != d.Type {
		return fmt.Errorf("must be of type %s", d.Type)
	}
	switch d.Type {
	case TypeEnum:
		if !slices.Contains(d.Values, v.Text) {
			return fmt.Errorf("%q is not one of: %s", v.Text, joinQuoted(d.Values))
		}
	case TypeEnumList:
		return d.checkList(v.List)
	case TypeText:
		return CheckText(v.Text, MaxTextLen)
	}
	return nil
}

func (d FactDef) checkList(items []string) error {
	seen := make(map[string]bool, len(items))
	for _, it := range items {
		if !slices.Contains(d.Values, it) {
			return fmt.Errorf("%q is not one of: %s", it, joinQuoted(d.Values))
		}
		if seen[it] {
			return fmt.Errorf("%q is listed twice", it)
		}
		seen[it] = true
	}
	return nil
}

// Vocabulary is the set of facts a case may record. It is immutable once
// built. The knowledge pack builds one from its facts file; until a pack is
// loaded, BuiltinVocabulary stands in.
type Vocabulary struct {
	defs  map[string]FactDef
	order []string
}

var factName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// ValidFactName reports whether s has the form of a fact name: lower-case
// ASCII letters, digits and underscores, starting with a letter, at most 64.
func ValidFactName(s string) bool { return factName.MatchString(s) }

// NewVocabulary checks defs and builds a vocabulary keeping their order.
func NewVocabulary(defs []FactDef) (*Vocabulary, error) {
	v := &Vocabulary{defs: make(map[string]FactDef, len(defs))}
	for _, d := range defs {
		if err := d.valid(); err != nil {
			return nil, err
		}
		if _, dup := v.defs[d.Name]; dup {
			return nil, fmt.Errorf("casefile: fact %q is declared twice", d.Name)
		}
		v.defs[d.Name] = d
		v.order = append(v.order, d.Name)
	}
	return v, nil
}

func (d FactDef) valid() error {
	switch {
	case !ValidFactName(d.Name):
		return fmt.Errorf("casefile: %q is not a valid fact name", d.Name)
	case !d.Type.Valid():
		return fmt.Errorf("casefile: fact %q has unknown type %q", d.Name, d.Type)
	case (d.Type == TypeEnum || d.Type == TypeEnumList) && len(d.Values) == 0:
		return fmt.Errorf("casefile: enum fact %q lists no values", d.Name)
	}
	return nil
}

// Lookup returns the definition of the named fact.
func (v *Vocabulary) Lookup(name string) (FactDef, bool) {
	d, ok := v.defs[name]
	return d, ok
}

// Defs returns every definition, in declaration order.
func (v *Vocabulary) Defs() []FactDef {
	out := make([]FactDef, len(v.order))
	for i, n := range v.order {
		out[i] = v.defs[n]
	}
	return out
}

// Len returns the number of facts in the vocabulary.
func (v *Vocabulary) Len() int { return len(v.order) }

func joinQuoted(items []string) string {
	s := ""
	for i, it := range items {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%q", it)
	}
	return s
}
