package casefile

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// State is where a fact stands. A fact that was never asked has no record
// at all; StateNotAsked appears only in a fact's history, when it was
// cleared.
type State string

// The three states of a fact.
const (
	StateNotAsked State = "not_asked"
	StateUnknown  State = "unknown" // asked; the person does not know
	StateKnown    State = "known"
)

// Source says where a fact came from.
type Source string

// The sources of a fact.
const (
	SourceStatement  Source = "statement"  // the person said so
	SourceDocument   Source = "document"   // a document shows it
	SourceCaseworker Source = "caseworker" // a caseworker established it
)

// Sources lists every source.
func Sources() []Source { return []Source{SourceStatement, SourceDocument, SourceCaseworker} }

// Valid reports whether s is one of the sources.
func (s Source) Valid() bool { return slices.Contains(Sources(), s) }

// Fact is the current state of one fact on a case, or one entry of its
// history. Value is set only when State is StateKnown.
type Fact struct {
	Name       string    `json:"name"`
	State      State     `json:"state"`
	Value      *Value    `json:"value,omitempty"`
	Source     Source    `json:"source,omitempty"`
	RecordedAt time.Time `json:"recorded_at"`
	RecordedBy string    `json:"recorded_by"`
}

// Same reports whether f and g say the same thing from the same source, so
// that setting g over f changes nothing.
func (f Fact) Same(g Fact) bool {
	if f.State != g.State || f.Source != g.Source {
		return false
	}
	if f.Value == nil || g.Value == nil {
		return f.Value == nil && g.Value == nil
	}
	return f.Value.Equal(*g.Value)
}

// FactInput is a request to set a fact: the person's answer as it arrives
// from the API, the CLI or an interview. Value is the JSON form of the value
// and must be absent when State is StateUnknown.
type FactInput struct {
	Name   string          `json:"name"`
	State  State           `json:"state,omitempty"` // default: known
	Value  json.RawMessage `json:"value,omitempty"`
	Source Source          `json:"source"`
}

// Resolve checks the input against the vocabulary and returns the fact it
// sets (without the recording stamp). Problems are returned per field,
// prefixed with prefix ("" or "facts[3].").
func (in FactInput) Resolve(voc *Vocabulary, prefix string) (Fact, map[string]string) {
	errs := map[string]string{}
	def, ok := voc.Lookup(in.Name)
	if !ok {
		errs[prefix+"name"] = fmt.Sprintf("unknown fact %q", in.Name)
	}
	if !in.Source.Valid() {
		errs[prefix+"source"] = "must be one of: statement, document, caseworker"
	}
	f := Fact{Name: in.Name, State: in.State, Source: in.Source}
	if f.State == "" {
		f.State = StateKnown
	}
	switch f.State {
	case StateUnknown:
		if len(in.Value) > 0 && string(in.Value) != "null" {
			errs[prefix+"value"] = "must be absent when the state is unknown"
		}
	case StateKnown:
		if ok {
			v, err := DecodeValue(def, in.Value)
			if err != nil {
				errs[prefix+"value"] = err.Error()
			}
			f.Value = &v
		}
	default:
		errs[prefix+"state"] = "must be known or unknown (clear a fact to make it not asked)"
	}
	return f, errs
}

// factJSON is the wire form of a Fact: the value's type travels beside it so
// that the value can be read back without a vocabulary.
type factJSON struct {
	Name       string          `json:"name"`
	State      State           `json:"state"`
	Type       Type            `json:"type,omitempty"`
	Value      json.RawMessage `json:"value,omitempty"`
	Source     Source          `json:"source,omitempty"`
	RecordedAt time.Time       `json:"recorded_at"`
	RecordedBy string          `json:"recorded_by"`
}

// MarshalJSON writes the fact with its value's type.
func (f Fact) MarshalJSON() ([]byte, error) {
	j := factJSON{Name: f.Name, State: f.State, Source: f.Source, RecordedAt: f.RecordedAt, RecordedBy: f.RecordedBy}
	if f.Value != nil {
		raw, err := f.Value.MarshalJSON()
		if err != nil {
			return nil, err
		}
		j.Type, j.Value = f.Value.Type, raw
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (f *Fact) UnmarshalJSON(b []byte) error {
	var j factJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*f = Fact{Name: j.Name, State: j.State, Source: j.Source, RecordedAt: j.RecordedAt, RecordedBy: j.RecordedBy}
	if len(j.Value) > 0 && string(j.Value) != "null" {
		v, err := DecodeTyped(j.Type, j.Value)
		if err != nil {
			return fmt.Errorf("fact %s: %w", j.Name, err)
		}
		f.Value = &v
	}
	return nil
}
