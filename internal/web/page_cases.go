package web

import (
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/rules"
)

// caseListView is the case list with its filters as given.
type caseListView struct {
	Query url.Values
	Cases []casefile.Case
	// Next links to the next page of a listing by filters (GET); More
	// holds the fields of the form that asks for the next page of a
	// search by name (POST), which must not put the name in a URL.
	Next         string
	More         url.Values
	Statuses     []casefile.Status
	Destinations []rules.Jurisdiction
	// NameIgnored: a GET carried a name, which was not searched for.
	NameIgnored bool
}

// pageCases lists the cases the signed-in staff member may see, filtered
// by status, destination and assignee. A name in the query string is not
// searched for (the page says so): a name does not belong in a URL, which
// browsers keep in their history and proxies in their logs; the search
// form posts it to /cases/search.
func pageCases(a *app.App, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		v := caseListView{Query: q, NameIgnored: strings.TrimSpace(q.Get("name")) != ""}
		q.Del("name")
		listCases(a, log, w, r, q, v)
	})
}

// pageCaseSearch is the case list found by a person's name, posted with
// the filters; the next page is asked for by posting again.
func pageCaseSearch(a *app.App, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := parseForm(w, r); err != nil {
			renderError(w, r, log, err)
			return
		}
		f := r.PostForm
		f.Del("csrf")
		listCases(a, log, w, r, f, caseListView{Query: f})
	})
}

// listCases renders one page of the cases the filters f select.
func listCases(a *app.App, log *slog.Logger, w http.ResponseWriter, r *http.Request, f url.Values, v caseListView) {
	v.Statuses, v.Destinations = casefile.Statuses(), destinations(a.Pack())
	cq, err := caseQueryFrom(f)
	var page app.CasePage
	if err == nil {
		page, err = a.ListCases(r.Context(), cq)
	}
	if err != nil {
		formPage(w, r, log, "cases", v, err)
		return
	}
	v.Cases = page.Cases
	if page.NextCursor != "" {
		next := maps.Clone(f)
		next.Set("cursor", page.NextCursor)
		if cq.Name != "" {
			v.More = next
		} else {
			v.Next = "/cases?" + next.Encode()
		}
	}
	render(w, r, log, http.StatusOK, "cases", v)
}

// caseQueryFrom reads the case list's filters.
func caseQueryFrom(f url.Values) (app.CaseQuery, error) {
	cq := app.CaseQuery{Destination: strings.ToUpper(strings.TrimSpace(f.Get("destination"))),
		Assignee: strings.TrimSpace(f.Get("assignee")), Name: strings.TrimSpace(f.Get("name")), Cursor: f.Get("cursor")}
	for _, s := range f["status"] {
		if s != "" {
			cq.Statuses = append(cq.Statuses, casefile.Status(s))
		}
	}
	if l := f.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil {
			return cq, sanctuary.Invalid("the cases cannot be listed", map[string]string{"limit": "must be a whole number"})
		}
		cq.Limit = n
	}
	return cq, nil
}

// destinations are the pack's destination countries, for choosing.
func destinations(p *rules.Pack) []rules.Jurisdiction {
	var out []rules.Jurisdiction
	for _, j := range p.Jurisdictions {
		if j.Kind == "destination" {
			out = append(out, j)
		}
	}
	return out
}

// newCaseView is the form for opening a case, with what was typed.
type newCaseView struct {
	Form         url.Values
	Destinations []rules.Jurisdiction
	// Ref is set when the form edits an existing case.
	Ref string
}

func pageCaseNew(a *app.App, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := a.MayCreateCase(r.Context()); err != nil {
			renderError(w, r, log, err)
			return
		}
		p, _ := sanctuary.PrincipalFrom(r.Context())
		form := url.Values{"citizenships": {"RU"}, "languages": {"ru"}, "assignees": {p.Email}}
		render(w, r, log, http.StatusOK, "case_new", newCaseView{Form: form, Destinations: destinations(a.Pack())})
	})
}

// pageCaseCreate opens a case from the form and shows it.
func pageCaseCreate(a *app.App, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := parseForm(w, r); err != nil {
			renderError(w, r, log, err)
			return
		}
		n, err := newCaseFrom(r.PostForm)
		if err == nil {
			var c casefile.Case
			if c, err = a.CreateCase(r.Context(), n); err == nil {
				http.Redirect(w, r, "/cases/"+c.Reference, http.StatusSeeOther)
				return
			}
		}
		formPage(w, r, log, "case_new", newCaseView{Form: r.PostForm, Destinations: destinations(a.Pack())}, err)
	})
}

func newCaseFrom(f url.Values) (app.NewCase, error) {
	p := casefile.Person{
		Identity: casefile.Identity{
			NameLatin:    casefile.Name{Family: trim(f, "family_latin"), Given: trim(f, "given_latin")},
			NameCyrillic: casefile.Name{Family: trim(f, "family_cyrillic"), Given: trim(f, "given_cyrillic"), Patronymic: trim(f, "patronymic_cyrillic")},
			Contacts:     []casefile.Contact{},
		},
		Citizenships: splitList(strings.ToUpper(f.Get("citizenships"))),
		Languages:    splitList(strings.ToLower(f.Get("languages"))),
	}
	if s := trim(f, "birth_date"); s != "" {
		d, err := app.ParseDateField("person.birth_date", s)
		if err != nil {
			return app.NewCase{}, err
		}
		p.BirthDate = &d
	}
	return app.NewCase{Person: p, Destinations: slices.DeleteFunc(f["destinations"], func(s string) bool { return s == "" }),
		Assignees: splitList(f.Get("assignees"))}, nil
}

func trim(f url.Values, key string) string { return strings.TrimSpace(f.Get(key)) }

// splitList splits a field of items separated by commas, spaces or lines.
func splitList(s string) []string {
	out := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
	if out == nil {
		return []string{}
	}
	return out
}

// pageCaseEdit shows the form that changes a case's person, destinations
// and assignees, filled in as the case stands.
func pageCaseEdit(a *app.App, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := a.GetCase(r.Context(), r.PathValue("ref"))
		if err != nil {
			renderError(w, r, log, err)
			return
		}
		p := c.Person
		f := url.Values{"family_latin": {p.NameLatin.Family}, "given_latin": {p.NameLatin.Given},
			"family_cyrillic": {p.NameCyrillic.Family}, "given_cyrillic": {p.NameCyrillic.Given}, "patronymic_cyrillic": {p.NameCyrillic.Patronymic},
			"citizenships": {strings.Join(p.Citizenships, ", ")}, "languages": {strings.Join(p.Languages, ", ")},
			"destinations": c.Destinations, "assignees": {strings.Join(c.Assignees, ", ")}, "version": {strconv.FormatInt(c.Version, 10)}}
		if p.BirthDate != nil {
			f.Set("birth_date", p.BirthDate.String())
		}
		render(w, r, log, http.StatusOK, "case_new", newCaseView{Form: f, Destinations: destinations(a.Pack()), Ref: c.Reference})
	})
}

// pageCaseUpdate changes the case from the form; the person's contacts,
// which the form does not show, are kept. The form names the version it
// was made from, so a change made meanwhile by someone else is not
// overwritten.
func pageCaseUpdate(a *app.App, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref := r.PathValue("ref")
		if err := parseForm(w, r); err != nil {
			renderError(w, r, log, err)
			return
		}
		err := updateCase(a, r, ref)
		if err == nil {
			http.Redirect(w, r, "/cases/"+ref, http.StatusSeeOther)
			return
		}
		formPage(w, r, log, "case_new", newCaseView{Form: r.PostForm, Destinations: destinations(a.Pack()), Ref: ref}, err)
	})
}

// editFields are the fields the edit form always sends (its destinations
// with a hidden empty one, so that none ticked still sends the field). A
// post that lacks one is refused, not read as "blank it": a form cut
// short must not empty the case's team or wipe the person's name.
var editFields = []string{"version", "family_cyrillic", "given_cyrillic", "patronymic_cyrillic", "family_latin",
	"given_latin", "birth_date", "citizenships", "languages", "destinations", "assignees"}

// missingFields refuses a form that lacks any of the fields, naming them
// all; a field sent empty is there.
func missingFields(f url.Values, names []string) error {
	errs := map[string]string{}
	for _, n := range names {
		if _, ok := f[n]; !ok {
			errs[n] = "is missing from the form"
		}
	}
	if len(errs) > 0 {
		return sanctuary.Invalid("the form is incomplete, so nothing was changed; reload the page and try again", errs)
	}
	return nil
}

func updateCase(a *app.App, r *http.Request, ref string) error {
	if err := missingFields(r.PostForm, editFields); err != nil {
		return err
	}
	n, err := newCaseFrom(r.PostForm)
	if err != nil {
		return err
	}
	version, err := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if err != nil {
		return sanctuary.Invalid("the form cannot be read", map[string]string{"version": "is missing"})
	}
	_, err = a.UpdateCase(r.Context(), ref, app.CaseUpdate{Version: &version, Person: &n.Person,
		Destinations: &n.Destinations, Assignees: &n.Assignees, KeepContacts: true})
	return err
}
