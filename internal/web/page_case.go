package web

import (
	"cmp"
	"log/slog"
	"net/http"
	"slices"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
	"github.com/sanctuary-platform/sanctuary/internal/rules"
)

// caseEvents is how many of its latest events the case page shows.
const caseEvents = 100

// caseView is everything the case page shows.
type caseView struct {
	app.CaseFile
	Name       string
	Facts      []factRow
	Answered   int
	Assessment assessView
	Evidence   []app.EvidenceView
	Next       []casefile.Status
	Kinds      []evidence.Kind
	Sources    []casefile.Source
	Invitation string // a link just made, shown this once
}

// factRow is one fact of the vocabulary as the case stands.
type factRow struct {
	Def      rules.Fact
	Question string
	Fact     *casefile.Fact
	Value    string // the value as a form shows it
	Shown    string // the value as a person reads it
	Options  []option
}

type option struct {
	Value, Label string
	Selected     bool
}

// pageCase shows a case: person, facts, assessment as of a date (and what
// changed since another), evidence, timeline and notes.
func pageCase(a *app.App, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := loadCaseView(a, r)
		if err != nil {
			renderError(w, r, log, err)
			return
		}
		status := http.StatusOK
		if v.Assessment.Problem != nil {
			status = statusOf(sanctuary.AsError(v.Assessment.Problem).Code)
		}
		render(w, r, log, status, "case", v)
	})
}

func loadCaseView(a *app.App, r *http.Request) (*caseView, error) {
	req, av, problem := assessQuery(r)
	if problem != nil {
		req.AsOf, req.CompareWith = casefile.Date{}, casefile.Date{}
	}
	cv, err := a.ViewCase(r.Context(), r.PathValue("ref"), req)
	if err != nil {
		return nil, err
	}
	lang := pageLanguage(r)
	v := &caseView{CaseFile: cv.CaseFile, Name: cv.Case.Person.DisplayName(), Next: cv.Case.Status.Next(),
		Kinds: evidence.Kinds(), Sources: casefile.Sources(), Evidence: cv.Evidence, Assessment: av}
	v.Facts, v.Answered = factRows(a.Pack(), cv.Facts, lang)
	v.Assessment.Problem = problem
	v.Assessment.Result = cv.Assessment
	v.Assessment.AsOf = cv.Assessment.AsOf.String()
	v.Assessment.Sections = sections(a.Pack(), cv.Case, cv.Assessment, lang)
	if cv.Compared != nil {
		d := rules.Diff(cv.Compared, cv.Assessment)
		v.Assessment.Diff = &d
	}
	return v, nil
}

// factRows lists every fact of the pack, answered or not, in the pack's
// order, and counts the answered ones.
func factRows(p *rules.Pack, facts []casefile.Fact, lang string) ([]factRow, int) {
	by := make(map[string]*casefile.Fact, len(facts))
	for i := range facts {
		by[facts[i].Name] = &facts[i]
	}
	rows := make([]factRow, 0, len(p.Facts))
	n := 0
	for _, d := range p.Facts {
		row := factRow{Def: d, Question: cmp.Or(d.Question.In(lang), d.Name), Fact: by[d.Name]}
		if f := row.Fact; f != nil {
			n++
			if f.Value != nil {
				row.Value = f.Value.String()
				row.Shown = shownValue(d, *f.Value, lang)
			}
		}
		row.Options = factOptions(d, row.Fact, lang)
		rows = append(rows, row)
	}
	return rows, n
}

// shownValue renders a value with the labels of its enum values.
func shownValue(d rules.Fact, v casefile.Value, lang string) string {
	label := func(s string) string {
		for _, fv := range d.Values {
			if fv.Value == s {
				return cmp.Or(fv.Label.In(lang), s)
			}
		}
		return s
	}
	switch v.Type {
	case casefile.TypeBool:
		if v.Bool {
			return t(lang, "yes")
		}
		return t(lang, "no")
	case casefile.TypeEnum:
		return label(v.Text)
	case casefile.TypeEnumList:
		out := ""
		for i, s := range v.List {
			if i > 0 {
				out += ", "
			}
			out += label(s)
		}
		return out
	}
	return v.String()
}

// factOptions are the choices of an enum or yes/no fact, marked as the
// fact stands.
func factOptions(d rules.Fact, f *casefile.Fact, lang string) []option {
	var cur *casefile.Value
	if f != nil {
		cur = f.Value
	}
	switch d.Type {
	case casefile.TypeBool:
		return []option{{"yes", t(lang, "yes"), cur != nil && cur.Bool}, {"no", t(lang, "no"), cur != nil && !cur.Bool}}
	case casefile.TypeEnum, casefile.TypeEnumList:
		out := make([]option, 0, len(d.Values))
		for _, fv := range d.Values {
			sel := cur != nil && (cur.Text == fv.Value || slices.Contains(cur.List, fv.Value))
			out = append(out, option{fv.Value, cmp.Or(fv.Label.In(lang), fv.Value), sel})
		}
		return out
	}
	return nil
}
