package rules

import (
	"github.com/sanctuary-platform/sanctuary/internal/casefile"

	"cel.dev/cel-go/cel"
)

// Languages every text of a pack must be given in.
var languages = [...]string{"ru", "en", "de"}

// Languages returns the languages every text of a pack is given in.
func Languages() []string { return languages[:] }

// Text is a text in each language, keyed by language code.
type Text map[string]string

// In returns the text in lang, falling back to English.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	return t["en"]
}

// Confidence is how well a source or rule is supported.
type Confidence string

// The confidence levels. Low marks what the brief could not verify; the UI
// and the dossier say so.
const (
	ConfidenceHigh   Confidence = "high"
	ConfidenceMedium Confidence = "medium"
	ConfidenceLow    Confidence = "low"
)

func (c Confidence) rank() int {
	switch c {
	case ConfidenceHigh:
		return 3
	case ConfidenceMedium:
		return 2
	case ConfidenceLow:
		return 1
	}
	return 0
}

// Kind says what a finding is.
type Kind string

// The kinds of rules and findings.
const (
	KindGround           Kind = "ground"
	KindRisk             Kind = "risk"
	KindPathwayOpen      Kind = "pathway-open"
	KindPathwayClosed    Kind = "pathway-closed"
	KindPathwayContested Kind = "pathway-contested"
	KindExclusionCheck   Kind = "exclusion-check"
	KindProcedure        Kind = "procedure"
	KindEvidenceGap      Kind = "evidence-gap"
	KindInfo             Kind = "info"
)

// Kinds lists every kind, in the order findings are shown.
func Kinds() []Kind {
	return []Kind{KindGround, KindRisk, KindPathwayOpen, KindPathwayContested, KindPathwayClosed,
		KindExclusionCheck, KindProcedure, KindEvidenceGap, KindInfo}
}

func (k Kind) pathway() bool {
	return k == KindPathwayOpen || k == KindPathwayClosed || k == KindPathwayContested
}

// Pack is a loaded, checked knowledge pack. It is immutable.
type Pack struct {
	Name        string
	Version     string
	CoversUntil casefile.Date
	Title       Text
	// Hash is the SHA-256 of the pack's files (hex), which identifies its
	// content exactly.
	Hash string

	Sources       []Source
	Jurisdictions []Jurisdiction
	Facts         []Fact
	Rules         []*Rule
	Tests         []Test

	vocab   *casefile.Vocabulary
	env     *cel.Env
	sources map[string]*Source
	facts   map[string]*Fact
	juris   map[string]int // code → position, for ordering
	files   map[string][]byte
	// displaces maps a rule id to every rule id it overrides, directly or
	// through others.
	displaces map[string]map[string]bool
}

// Source is a document rules cite.
type Source struct {
	ID         string     `json:"id"`
	Title      string     `json:"title"`
	Publisher  string     `json:"publisher"`
	URL        string     `json:"url,omitempty"`
	Published  string     `json:"published"`
	Confidence Confidence `json:"confidence"`
	Note       string     `json:"note,omitempty"`
}

// Jurisdiction is a state, the EU, or international law.
type Jurisdiction struct {
	Code string `json:"code"`
	Kind string `json:"kind"`
	Name Text   `json:"name"`
}

// Fact is one fact of the pack's vocabulary, with what the interview needs.
type Fact struct {
	Name     string        `json:"name"`
	Type     casefile.Type `json:"type"`
	Values   []FactValue   `json:"values,omitempty"`
	Question Text          `json:"question"`
	Help     Text          `json:"help,omitempty"`
	AskedIf  string        `json:"asked_if,omitempty"`

	askedIf cel.Program
}

// FactValue is one allowed value of an enum fact, with its labels.
type FactValue struct {
	Value string `json:"value"`
	Label Text   `json:"label"`
}

// Citation is a source cited by a rule, with the passage.
type Citation struct {
	Source   string `json:"source"`
	Pinpoint string `json:"pinpoint"`
	// Corroborates marks a source published after the rule became known
	// that confirms it: the finding's text does not rest on it, and an
	// assessment cites it only as known on its publication or later.
	Corroborates bool `json:"corroborates,omitempty"`

	published casefile.Date // the source's first possible publication day
}

// Rule is one version of one rule.
type Rule struct {
	ID           string         `json:"id"`
	Version      int            `json:"version"`
	Jurisdiction string         `json:"jurisdiction"`
	Kind         Kind           `json:"kind"`
	Subject      string         `json:"subject"`
	ValidFrom    casefile.Date  `json:"valid_from"`
	ValidTo      *casefile.Date `json:"valid_to,omitempty"` // exclusive; nil: still in force
	KnownFrom    casefile.Date  `json:"known_from"`
	// EndKnownFrom is when the end (ValidTo) became known, where the
	// pack says so; EndKnown gives the date that holds.
	EndKnownFrom *casefile.Date `json:"end_known_from,omitempty"`
	Condition    string         `json:"condition"`
	Finding      Text           `json:"finding"`
	Sources      []Citation     `json:"sources"`
	Confidence   Confidence     `json:"confidence"`
	Overrides    []string       `json:"overrides,omitempty"`
	Note         string         `json:"note,omitempty"`

	file string
	line int
	// endKnown is when ValidTo became known: EndKnownFrom, else the
	// next version's known_from, else this version's own.
	endKnown casefile.Date
	// correctedBy are the later versions that overlap this one in time:
	// each, once known, replaces it for the days they share.
	correctedBy []*Rule
	prg         cel.Program
	// refs are the facts the condition reads, in order of appearance.
	refs []string
	lits literals
}

// Key is "id@version".
func (r *Rule) Key() string { return keyOf(r.ID, r.Version) }

// InForce reports whether the rule is in force on d.
func (r *Rule) InForce(d casefile.Date) bool {
	return !d.Before(r.ValidFrom) && (r.ValidTo == nil || d.Before(*r.ValidTo))
}

// KnownBy reports whether the rule was known on d.
func (r *Rule) KnownBy(d casefile.Date) bool { return !d.Before(r.KnownFrom) }

// EndKnown returns when the rule's end became known (its known_from if it
// has no end).
func (r *Rule) EndKnown() casefile.Date {
	if r.endKnown.IsZero() {
		return r.KnownFrom
	}
	return r.endKnown
}

// AppliesOn reports whether the rule was in force on d as it was known on
// known: it was known by then, had begun by d, and had not ended by d —
// or had, but its end was not yet known (a law repealed in March is
// still the law as known in February).
func (r *Rule) AppliesOn(d, known casefile.Date) bool {
	if !r.inForceAsKnown(d, known) {
		return false
	}
	for _, c := range r.correctedBy {
		if c.inForceAsKnown(d, known) {
			return false // a later version corrects this one for d
		}
	}
	return true
}

func (r *Rule) inForceAsKnown(d, known casefile.Date) bool {
	if !r.KnownBy(known) || d.Before(r.ValidFrom) {
		return false
	}
	return r.ValidTo == nil || d.Before(*r.ValidTo) || known.Before(r.EndKnown())
}

// Refs returns the facts the rule's condition reads.
func (r *Rule) Refs() []string { return r.refs }

// Vocabulary returns the pack's facts as a case vocabulary.
func (p *Pack) Vocabulary() *casefile.Vocabulary { return p.vocab }

// Source returns the source with the id.
func (p *Pack) Source(id string) (Source, bool) {
	s, ok := p.sources[id]
	if !ok {
		return Source{}, false
	}
	return *s, true
}

// Fact returns the fact with the name.
func (p *Pack) Fact(name string) (Fact, bool) {
	f, ok := p.facts[name]
	if !ok {
		return Fact{}, false
	}
	return *f, true
}

// Jurisdiction returns the jurisdiction with the code.
func (p *Pack) Jurisdiction(code string) (Jurisdiction, bool) {
	i, ok := p.juris[code]
	if !ok {
		return Jurisdiction{}, false
	}
	return p.Jurisdictions[i], true
}

// Files returns the pack's files by path, as they were read; they are what
// Hash covers.
func (p *Pack) Files() map[string][]byte { return p.files }

// Facts the app fills in or reads by name, when the pack declares them.
const (
	// BirthDateFact is filled from the person's record when not stated.
	BirthDateFact = "birth_date"
	// CurrentCountryFact, an enum of country codes, adds the country the
	// person is in to the jurisdictions assessed.
	CurrentCountryFact = "current_country"
)

// Summary is a pack as the knowledge browser shows it.
type Summary struct {
	Name          string         `json:"name"`
	Version       string         `json:"version"`
	Hash          string         `json:"hash"`
	CoversUntil   casefile.Date  `json:"covers_until"`
	Title         Text           `json:"title"`
	Jurisdictions []Jurisdiction `json:"jurisdictions"`
	Sources       []Source       `json:"sources"`
	Facts         []Fact         `json:"facts"`
	Rules         []*Rule        `json:"rules"`
	Tests         int            `json:"tests"`
}

// Summary describes the pack: its metadata and all its parts.
func (p *Pack) Summary() Summary {
	return Summary{Name: p.Name, Version: p.Version, Hash: p.Hash, CoversUntil: p.CoversUntil, Title: p.Title,
		Jurisdictions: p.Jurisdictions, Sources: p.Sources, Facts: p.Facts, Rules: p.Rules, Tests: len(p.Tests)}
}
