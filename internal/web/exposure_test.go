package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

// What the pages let out: nothing identifying in a URL, no listing of
// the server's files, no cookie that outlives the browser's session.

// TestStatic_NoDirectoryListing: the style sheet and scripts are served,
// a folder is not listed.
func TestStatic_NoDirectoryListing(t *testing.T) {
	db := storetest.OpenSQLite(t)
	_, base := newSite(t, db)
	b := newBrowser(t, base)
	if p := b.get("/static/style.css"); p.status != 200 || !strings.Contains(p.header.Get("Content-Type"), "text/css") {
		t.Errorf("/static/style.css: %d %s", p.status, p.header.Get("Content-Type"))
	}
	for _, path := range []string{"/static/", "/static/somedir/", "/static/index.html"} {
		p := b.get(path)
		if p.status != http.StatusNotFound || strings.Contains(p.body, "style.css") {
			t.Errorf("%s: %d, want 404 and no listing: %.200q", path, p.status, p.body)
		}
	}
	// Paths that are not clean are sent to their clean form first, which
	// is the folder: answered as above.
	for _, path := range []string{"/static/./", "/static//", "/static"} {
		p := b.get(path)
		if p.status != http.StatusNotFound && p.status/100 != 3 || strings.Contains(p.body, "style.css") {
			t.Errorf("%s: %d, want 404 or a redirect, and no listing: %.200q", path, p.status, p.body)
		}
	}
}

// TestLanguageCookie_LivesForTheSession: the language chosen is kept in a
// cookie that the browser forgets when it closes (no Max-Age, no
// Expires): a year-long cookie would tell whoever opens the laptop later
// which language its user reads.
func TestLanguageCookie_LivesForTheSession(t *testing.T) {
	db := storetest.OpenSQLite(t)
	_, base := newSite(t, db)
	p := newBrowser(t, base).get("/login?lang=ru")
	var lang string
	for _, sc := range p.header.Values("Set-Cookie") {
		if strings.HasPrefix(sc, "lang=") {
			lang = sc
		}
	}
	if lang == "" {
		t.Fatalf("no lang cookie: %q", p.header.Values("Set-Cookie"))
	}
	if strings.Contains(lang, "Max-Age") || strings.Contains(lang, "Expires") {
		t.Errorf("the lang cookie outlives the session: %q", lang)
	}
}

// TestCaseSearch_NameNeverInURL: the case list's name search posts the
// name; no URL the server sends back (links, forms, redirects) holds it,
// not even on a second page of results; a name in the query string of a
// GET is not searched for, and the page says why.
func TestCaseSearch_NameNeverInURL(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := newStaffSite(t, db)
		b, csrf := s.signedIn(lena)
		ctx := s.as(lena)
		person := casefile.Person{Identity: casefile.Identity{NameLatin: casefile.Name{Family: "Volkov", Given: "Denis"},
			NameCyrillic: casefile.Name{Family: "Волков", Given: "Денис"}}, Citizenships: []string{"RU"}, Languages: []string{"ru"}}
		var wanted []string
		for range 3 {
			c, err := s.a.CreateCase(ctx, app.NewCase{Person: person, Destinations: []string{"DE"}, Assignees: []string{lena}})
			if err != nil {
				t.Fatal(err)
			}
			wanted = append(wanted, c.Reference)
		}
		other, err := s.a.CreateCase(ctx, app.NewCase{Person: matrixPerson(), Destinations: []string{"DE"}, Assignees: []string{lena}})
		if err != nil {
			t.Fatal(err)
		}
		const name = "Волков Денис"
		forbidden := []string{name, "Волков", "Денис", url.QueryEscape("Волков"), url.PathEscape("Волков"), "Volkov"}

		list := b.get("/cases")
		if !strings.Contains(list.body, `method="post" action="/cases/search"`) {
			t.Fatalf("the case list's search form does not post to /cases/search:\n%s", list.body)
		}
		form := url.Values{"csrf": {csrf}, "name": {name}, "limit": {"2"}}
		first := b.post("/cases/search", form)
		if first.status != 200 {
			t.Fatalf("search: %d %s", first.status, first.body)
		}
		noNameInURLs(t, "the first page", first, forbidden)
		found := refs(first.body)
		if len(found) != 2 || strings.Contains(first.body, other.Reference) {
			t.Fatalf("the first page shows %v, want two of %v and not %s", found, wanted, other.Reference)
		}
		more := hiddenFields(t, first.body, "/cases/search")
		if more.Get("cursor") == "" || more.Get("name") != name {
			t.Fatalf("the second page is not asked for by a posted form: %v", more)
		}
		second := b.post("/cases/search", more)
		noNameInURLs(t, "the second page", second, forbidden)
		if got := append(found, refs(second.body)...); len(got) != 3 {
			t.Errorf("two pages show %v, want %v", got, wanted)
		}

		byGet := b.get("/cases?name=" + url.QueryEscape(name))
		if byGet.status != 200 || !strings.Contains(byGet.body, other.Reference) {
			t.Errorf("GET /cases?name= filtered by the name (or failed: %d)", byGet.status)
		}
		if !strings.Contains(byGet.body, `role="alert"`) || !strings.Contains(byGet.body, "address") {
			t.Errorf("GET /cases?name= does not say the name was not searched for:\n%s", byGet.body)
		}
		noNameInURLs(t, "GET with a name", byGet, forbidden)
	})
}

var urlAttr = regexp.MustCompile(`(?i)(?:href|action|src|formaction)="([^"]*)"`)

// noNameInURLs fails the test if any URL of the page (its links, forms,
// sources) or its redirect holds one of the texts.
func noNameInURLs(t *testing.T, what string, p page, texts []string) {
	t.Helper()
	urls := []string{p.header.Get("Location"), p.header.Get("Refresh")}
	for _, m := range urlAttr.FindAllStringSubmatch(p.body, -1) {
		urls = append(urls, m[1])
	}
	for _, u := range urls {
		dec, _ := url.QueryUnescape(strings.ReplaceAll(u, "&amp;", "&"))
		for _, s := range texts {
			if strings.Contains(u, s) || strings.Contains(dec, s) {
				t.Errorf("%s: the URL %q holds %q", what, u, s)
			}
		}
	}
}

var caseRef = regexp.MustCompile(`<a href="/cases/(SN-[0-9]{4}-[0-9]+)">`)

func refs(body string) []string {
	var out []string
	for _, m := range caseRef.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// hiddenFields returns the fields of the page's last form that posts to
// action.
func hiddenFields(t *testing.T, body, action string) url.Values {
	t.Helper()
	i := strings.LastIndex(body, `action="`+action+`"`)
	if i < 0 {
		t.Fatalf("no form posts to %s", action)
	}
	end := strings.Index(body[i:], "</form>")
	out := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`).FindAllStringSubmatch(body[i:i+end], -1) {
		out.Add(m[1], htmlUnescape(m[2]))
	}
	return out
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&#34;", `"`, "&#39;", "'", "&amp;", "&", "&lt;", "<", "&gt;", ">", "&#43;", "+").Replace(s)
}
