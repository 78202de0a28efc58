package web

import (
	"cmp"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

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
	Name         string
	Facts        []factRow
	Answered     int
	Assessment   assessView
	Evidence     []app.EvidenceView
	EvidenceHTML template.HTML
	EventsHTML   template.HTML
	Next         []casefile.Status
	Kinds        []evidence.Kind
	Sources      []casefile.Source
	// Edit names the fact whose in-place editor is open.
	Edit      string
	Deadlines []casefile.Deadline
	Today     casefile.Date
}

// factRow is one fact of the vocabulary as the case stands, with its
// text ready to show (the page has hundreds of them: the template only
// prints).
type factRow struct {
	Def         rules.Fact
	Question    string
	Fact        *casefile.Fact
	Value       string // the value as a form shows it
	Shown       string // the answer as a person reads it: a value, "I don't know" or "not asked"
	Unknown     bool
	SourceLabel string
	Recorded    string
	Editing     bool
	Options     []option
	// HTML is the row as the facts table shows it (not while editing).
	HTML template.HTML
}

// eventsHTML renders the timeline, newest first.
func eventsHTML(es []casefile.Event, lang string) template.HTML {
	var f fragment
	for i := len(es) - 1; i >= 0; i-- {
		e := es[i]
		f.tag(`<li><time datetime="`).text(e.At.Format(time.RFC3339)).tag(`">`).text(e.At.Format("2006-01-02 15:04")).
			tag(`</time> · `).text(e.Actor).tag(` · <strong>`).text(t(lang, "event_"+string(e.Kind))).
			tag(`</strong> <span lang="en">`).text(e.Summary()).tag("</span></li>\n")
	}
	return f.html()
}

// evidenceHTML renders the rows of the evidence table.
func evidenceHTML(ref string, items []app.EvidenceView, lang string) template.HTML {
	var f fragment
	for _, it := range items {
		id := strconv.FormatInt(it.ID, 10)
		f.tag(`<tr><td>`).text(id).tag(`</td><td><a href="`).path("cases", ref, "evidence", id).tag(`">`).
			text(cmp.Or(it.Title, it.OriginalName, "—")).tag(`</a></td><td>`).text(t(lang, "ev_kind_"+string(it.Kind))).
			tag(`</td><td class="nowrap">`).text(humanBytes(it.Size)).tag(`</td><td>`).text(it.CreatedAt.Format("2006-01-02") + " · " + it.CreatedBy).
			tag("</td></tr>\n")
	}
	return f.html()
}

// factHTML renders a fact's row of the facts table, with the link that
// opens its editor.
func factHTML(ref string, row factRow, edit string) template.HTML {
	var f fragment
	f.tag(`<tr id="fact-`).text(row.Def.Name).tag(`"><th scope="row">`).text(row.Question).
		tag(` <code class="small">`).text(row.Def.Name).tag(`</code></th><td>`)
	switch {
	case row.Fact == nil:
		f.tag(`<span class="muted">`).text(row.Shown).tag(`</span>`)
	case row.Unknown:
		f.tag(`<em>`).text(row.Shown).tag(`</em>`)
	default:
		f.text(row.Shown)
	}
	f.tag(` <a class="small" href="`).path("cases", ref).tag(`?edit=`).text(url.QueryEscape(row.Def.Name)).
		tag(`#fact-`).text(row.Def.Name).tag(`">`).text(edit).tag(`<span class="visually-hidden">: `).text(row.Question).
		tag(`</span></a></td><td>`).text(row.SourceLabel).tag(`</td><td>`).text(row.Recorded).tag(`</td></tr>`)
	return f.html()
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
		Kinds: evidence.Kinds(), Sources: casefile.Sources(), Evidence: cv.Evidence, Assessment: av, Edit: r.URL.Query().Get("edit"),
		Deadlines: cv.Deadlines, Today: a.Today()}
	v.Facts, v.Answered = factRows(a.Pack(), cv.Facts, lang)
	edit := t(lang, "edit")
	for i := range v.Facts {
		if v.Facts[i].Editing = v.Facts[i].Def.Name == v.Edit; !v.Facts[i].Editing {
			v.Facts[i].HTML = factHTML(cv.Case.Reference, v.Facts[i], edit)
		}
	}
	v.EvidenceHTML = evidenceHTML(cv.Case.Reference, cv.Evidence, lang)
	v.EventsHTML = eventsHTML(cv.Timeline, lang)
	v.Assessment.Problem = problem
	v.Assessment.Result = cv.Assessment
	v.Assessment.AsOf = cv.Assessment.AsOf.String()
	v.Assessment.Sections = sections(a.Pack(), cv.Case, cv.Assessment, lang)
	v.Assessment.OpenSource = t(lang, "open_source")
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
	notAsked, dontKnow := t(lang, "not_asked"), t(lang, "dont_know")
	for _, d := range p.Facts {
		row := factRow{Def: d, Question: cmp.Or(d.Question.In(lang), d.Name), Fact: by[d.Name], Shown: notAsked}
		if f := row.Fact; f != nil {
			n++
			row.SourceLabel = t(lang, "source_"+string(f.Source))
			row.Recorded = f.RecordedAt.Format("2006-01-02") + " · " + f.RecordedBy
			row.Unknown = f.State == casefile.StateUnknown
			switch {
			case row.Unknown:
				row.Shown = dontKnow
			case f.Value != nil:
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

// option is one choice of an enum or yes/no question.
type option struct {
	Value, Label string
	Selected     bool
}
