package web

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/rules"
)

// assessView is the assessment part of the case page: per jurisdiction,
// the findings grouped by kind, and what changed since the compared date.
type assessView struct {
	AsOf, CompareWith string // as the form shows them
	Result            *rules.Assessment
	Sections          []section
	Diff              *rules.Difference
	Problem           error // a date that could not be read
	OpenSource        string
}

// section is one jurisdiction's findings.
type section struct {
	Code, Name  string
	Destination bool
	Groups      []kindGroup
}

type kindGroup struct {
	Kind     rules.Kind
	Findings []findingRow
}

// findingRow is a finding with its texts ready in the page's language:
// what it says, its status (and the questions that would decide it), its
// dates and confidence, its sources and the facts it read.
type findingRow struct {
	Rule         string
	Version      int
	Status       rules.Status
	Said         string
	Undetermined bool
	StatusText   string
	DecidedBy    string
	Meta         string
	SourcesTitle string
	SourceLines  []sourceLine
	TraceLine    string
}

type sourceLine struct{ Text, URL string }

func newFindingRow(p *rules.Pack, f rules.Finding, lang string) findingRow {
	r := findingRow{Rule: f.Rule, Version: f.Version, Status: f.Status, Said: f.Text.In(lang),
		Undetermined: f.Status == rules.StatusUndetermined, StatusText: t(lang, "applies"),
		SourcesTitle: fmt.Sprintf("%s (%d)", t(lang, "sources"), len(f.Sources))}
	if r.Undetermined {
		r.StatusText = t(lang, "undetermined")
		if qs := questionsOf(p, f.Deciding, lang); len(qs) > 0 {
			r.DecidedBy = t(lang, "would_decide") + " «" + strings.Join(qs, "»; «") + "»"
		}
	}
	r.Meta = t(lang, "confidence") + ": " + t(lang, "conf_"+string(f.Confidence)) + " · " + t(lang, "in_force_from") + " " + f.ValidFrom.String()
	if f.ValidTo != nil {
		r.Meta += " " + t(lang, "until") + " " + f.ValidTo.String()
	}
	r.Meta += " · " + t(lang, "known_from") + " " + f.KnownFrom.String()
	for _, s := range f.Sources {
		line := s.Title + " — " + s.Publisher + ", " + s.Published
		if s.Pinpoint != "" {
			line += ", " + s.Pinpoint
		}
		line += " (" + t(lang, "confidence") + ": " + t(lang, "conf_"+string(s.Confidence)) + ")"
		r.SourceLines = append(r.SourceLines, sourceLine{line, s.URL})
	}
	r.TraceLine = traceLine(f.Trace, lang)
	return r
}

// traceLine lists the facts a rule read, as they stood.
func traceLine(trace []rules.TraceFact, lang string) string {
	if len(trace) == 0 {
		return ""
	}
	parts := make([]string, len(trace))
	for i, tf := range trace {
		v := string(tf.State)
		if tf.Value != nil {
			v = tf.Value.String()
		}
		parts[i] = tf.Name + "=" + v
	}
	return t(lang, "read_facts") + ": " + strings.Join(parts, ", ")
}

// assessQuery reads the as-of and compare-with dates of the case page.
func assessQuery(r *http.Request) (app.CaseViewRequest, assessView, error) {
	q := r.URL.Query()
	av := assessView{AsOf: q.Get("as_of"), CompareWith: q.Get("compare_with")}
	req := app.CaseViewRequest{Events: caseEvents}
	var err error
	if req.AsOf, err = app.ParseDateField("as_of", av.AsOf); err != nil {
		return req, av, err
	}
	req.CompareWith, err = app.ParseDateField("compare_with", av.CompareWith)
	return req, av, err
}

// sections groups the findings: the case's destinations first, in the
// case's order, then the other jurisdictions in the pack's order.
func sections(p *rules.Pack, c casefile.Case, a *rules.Assessment, lang string) []section {
	order := slices.Clone(c.Destinations)
	for _, code := range a.Jurisdictions {
		if !slices.Contains(order, code) {
			order = append(order, code)
		}
	}
	var out []section
	for _, code := range order {
		if !slices.Contains(a.Jurisdictions, code) {
			continue
		}
		s := section{Code: code, Name: code, Destination: slices.Contains(c.Destinations, code)}
		if j, ok := p.Jurisdiction(code); ok {
			s.Name = cmp.Or(j.Name.In(lang), code)
		}
		s.Groups = kindGroups(p, a.Findings, code, lang)
		out = append(out, s)
	}
	return out
}

func kindGroups(p *rules.Pack, fs []rules.Finding, code, lang string) []kindGroup {
	var out []kindGroup
	for _, k := range rules.Kinds() {
		g := kindGroup{Kind: k}
		for _, f := range fs {
			if f.Jurisdiction == code && f.Kind == k {
				g.Findings = append(g.Findings, newFindingRow(p, f, lang))
			}
		}
		if len(g.Findings) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// questionsOf turns fact names into their questions.
func questionsOf(p *rules.Pack, names []string, lang string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		q := n
		if f, ok := p.Fact(n); ok {
			q = cmp.Or(f.Question.In(lang), n)
		}
		out = append(out, q)
	}
	return out
}
