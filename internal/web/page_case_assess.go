package web

import (
	"cmp"
	"net/http"
	"slices"

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

// findingRow is a finding with its text in the page's language and the
// questions that would decide it.
type findingRow struct {
	rules.Finding
	Said     string
	Deciding []string
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
				g.Findings = append(g.Findings, findingRow{Finding: f, Said: f.Text.In(lang), Deciding: questionsOf(p, f.Deciding, lang)})
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
