package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

// TestAPI_CaseTeamNeverEmptied sends PATCH {"assignees": []}: refused
// with 400 naming the field, and the case is as it was and still opens.
func TestAPI_CaseTeamNeverEmptied(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		c := newClient(t, db)
		cs := c.createCase()
		base := "/api/v1/cases/" + cs.Reference
		for _, body := range []string{`{"assignees":[]}`, `{"assignees":[],"destinations":["NL"]}`} {
			res := c.json("PATCH", base, body)
			var e errorBody
			c.ok(res, http.StatusBadRequest, &e)
			if e.Error.Fields["assignees"] == "" {
				t.Errorf("%s: the refusal names no field: %s", body, res.body)
			}
		}
		var got casefile.Case
		c.ok(c.json("GET", base, nil), http.StatusOK, &got)
		if got.Version != cs.Version || !slices.Equal(got.Assignees, cs.Assignees) || !slices.Equal(got.Destinations, cs.Destinations) {
			t.Errorf("after the refusals: %+v, want %+v", got, cs)
		}
	})
}

// TestPages_EditFormRefusesMissingFields posts the case's edit form with
// fields left out: each time 400 naming what is missing, and nothing
// changes; a team sent empty is refused too. The whole form goes through.
func TestPages_EditFormRefusesMissingFields(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := newStaffSite(t, db)
		b, csrf := s.signedIn(lena)
		res := b.post("/cases", url.Values{"csrf": {csrf}, "family_cyrillic": {"Орлов"}, "given_cyrillic": {"Тимур"},
			"family_latin": {"Orlov"}, "given_latin": {"Timur"}, "citizenships": {"RU"}, "languages": {"ru"},
			"destinations": {"DE"}, "assignees": {lena + ", " + omar}})
		m := refInLocation.FindStringSubmatch(res.header.Get("Location"))
		if m == nil {
			t.Fatalf("create: %d %.800s", res.status, res.body)
		}
		ref := m[1]
		before, err := s.a.GetCase(s.as(lena), ref)
		if err != nil {
			t.Fatal(err)
		}
		edit := b.get("/cases/" + ref + "/edit")
		full := formOf(t, edit.body, "/cases/"+ref+"/edit")
		for _, name := range []string{"destinations", "assignees", "family_latin", "patronymic_cyrillic", "birth_date", "citizenships", "version"} {
			if _, ok := full[name]; !ok {
				t.Fatalf("the edit form has no field %s: %v", name, full)
			}
			form := cloneForm(full)
			form.Del(name)
			mustContain(t, "without "+name, b.post("/cases/"+ref+"/edit", form), 400, "is missing from the form", name)
		}
		empty := cloneForm(full)
		empty.Set("assignees", "")
		mustContain(t, "an empty team", b.post("/cases/"+ref+"/edit", empty), 400, "at least one lawyer or caseworker")
		after, err := s.a.GetCase(s.as(lena), ref)
		if err != nil || after.Version != before.Version || !slices.Equal(after.Assignees, before.Assignees) ||
			after.Person.NameLatin != before.Person.NameLatin {
			t.Fatalf("after the refusals: %+v %v, want %+v", after, err, before)
		}
		// No destination ticked is a field sent empty, not a field missing.
		none := cloneForm(full)
		none.Set("destinations", "")
		if res := b.post("/cases/"+ref+"/edit", none); res.status != 303 {
			t.Fatalf("the whole form, no destination ticked: %d %.800s", res.status, res.body)
		}
		if after, _ := s.a.GetCase(s.as(lena), ref); len(after.Destinations) != 0 || !slices.Equal(after.Assignees, before.Assignees) {
			t.Errorf("after the edit: %v %v", after.Destinations, after.Assignees)
		}
	})
}

// formOf reads the named inputs of the page's form that posts to action,
// as a browser would send them (checkboxes only when checked).
func formOf(t *testing.T, body, action string) url.Values {
	t.Helper()
	out := url.Values{}
	start := strings.Index(body, `<form method="post" action="`+action+`"`)
	end := strings.Index(body[max(start, 0):], "</form>")
	if start < 0 || end < 0 {
		t.Fatalf("no form in:\n%s", body)
	}
	for _, in := range inputTag.FindAllString(body[start:start+end], -1) {
		name, value := attr(in, "name"), attr(in, "value")
		if name == "" || strings.Contains(in, `type="checkbox"`) && !strings.Contains(in, " checked") {
			continue
		}
		out.Add(name, value)
	}
	return out
}

var inputTag = regexp.MustCompile(`<input[^>]*>`)

func attr(tag, name string) string {
	i := strings.Index(tag, " "+name+`="`)
	if i < 0 {
		return ""
	}
	v := tag[i+len(name)+3:]
	return html.UnescapeString(v[:strings.IndexByte(v, '"')])
}

func cloneForm(f url.Values) url.Values {
	out := url.Values{}
	for k, v := range f {
		out[k] = slices.Clone(v)
	}
	return out
}
