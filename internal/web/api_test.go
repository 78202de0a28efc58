package web_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
	"github.com/sanctuary-platform/sanctuary/internal/web"
)

func TestAPI_CaseLifecycle(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		c := newClient(t, db)
		cs := c.createCase()
		base := "/api/v1/cases/" + cs.Reference
		if cs.Status != casefile.StatusIntake || cs.Person.BirthDate.String() != "1998-07-02" {
			t.Errorf("created = %+v", cs)
		}

		var facts struct{ Facts []casefile.Fact }
		c.ok(c.json("POST", base+"/facts", map[string]any{"facts": []map[string]any{
			{"name": "summons_form", "value": "electronic", "source": "statement"},
			{"name": "has_summons", "state": "unknown", "source": "statement"},
			{"name": "criminal_articles", "value": []string{"art_328"}, "source": "document"},
		}}), http.StatusOK, &facts)
		if len(facts.Facts) != 3 || facts.Facts[1].State != casefile.StateUnknown {
			t.Errorf("facts = %+v", facts.Facts)
		}
		var f casefile.Fact
		c.ok(c.json("PUT", base+"/facts/has_summons", map[string]any{"value": true, "source": "document"}), http.StatusOK, &f)
		if f.Value == nil || !f.Value.Bool {
			t.Errorf("fact = %+v", f)
		}
		var hist struct{ History []casefile.Fact }
		c.ok(c.json("GET", base+"/facts/has_summons/history", nil), http.StatusOK, &hist)
		if len(hist.History) != 2 {
			t.Errorf("history = %+v", hist.History)
		}
		c.ok(c.json("DELETE", base+"/facts/criminal_articles", nil), http.StatusNoContent, nil)

		c.ok(c.json("POST", base+"/transitions", map[string]any{"to": "assessment", "reason": "intake done"}), http.StatusOK, &cs)
		if cs.Status != casefile.StatusAssessment {
			t.Errorf("status = %s", cs.Status)
		}
		var note casefile.Note
		c.ok(c.json("POST", base+"/notes", map[string]any{"body": "Prefers Signal; no calls after 20:00."}), http.StatusCreated, &note)
		c.ok(c.json("PATCH", base, map[string]any{"assignees": []string{lena, jana, omar}, "version": cs.Version}), http.StatusOK, &cs)

		var tl app.TimelinePage
		c.ok(c.json("GET", base+"/timeline", nil), http.StatusOK, &tl)
		var kinds []string
		for _, e := range tl.Events {
			kinds = append(kinds, string(e.Kind))
			if e.Actor != lena {
				t.Errorf("event %d by %q", e.ID, e.Actor)
			}
		}
		want := "case.created,fact.set,fact.set,fact.set,fact.set,fact.cleared,status.changed,note.added,case.updated"
		if got := strings.Join(kinds, ","); got != want {
			t.Errorf("timeline kinds\n got %s\nwant %s", got, want)
		}
		var page app.TimelinePage
		c.ok(c.json("GET", base+"/timeline?after=0&limit=2", nil), http.StatusOK, &page)
		if len(page.Events) != 2 {
			t.Errorf("timeline page of 2 has %d events", len(page.Events))
		}

		var x app.Export
		r := c.json("GET", base+"/export", nil)
		c.ok(r, http.StatusOK, &x)
		if x.Case.Reference != cs.Reference || len(x.Notes) != 1 || len(x.FactHistory) != 5 {
			t.Errorf("export = %+v", x)
		}
		if r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("Cache-Control = %q", r.header.Get("Cache-Control"))
		}
	})
}

func TestAPI_ListFiltersAndPages(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		c := newClient(t, db)
		for range 5 {
			c.createCase()
		}
		var seen []string
		path := "/api/v1/cases?limit=2&destination=FR&status=intake"
		for pages := 0; ; pages++ {
			if pages > 5 {
				t.Fatal("paging does not end")
			}
			var p app.CasePage
			c.ok(c.json("GET", path, nil), http.StatusOK, &p)
			for _, cs := range p.Cases {
				seen = append(seen, cs.Reference)
			}
			if p.NextCursor == "" {
				break
			}
			path = "/api/v1/cases?limit=2&destination=FR&status=intake&cursor=" + p.NextCursor
		}
		if len(seen) != 5 || seen[0] <= seen[4] {
			t.Errorf("listed %v, want 5 cases newest first", seen)
		}
		var empty app.CasePage
		c.ok(c.json("GET", "/api/v1/cases?destination=NL", nil), http.StatusOK, &empty)
		if len(empty.Cases) != 0 {
			t.Errorf("destination NL listed %d cases", len(empty.Cases))
		}
	})
}

// TestAPI_SearchByName finds a case by its person's name, sent in a body;
// a name in the list URL is refused, since URLs end up in logs.
func TestAPI_SearchByName(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		c := newClient(t, db)
		cs := c.createCase()
		var p app.CasePage
		c.ok(c.json("POST", "/api/v1/cases/search", map[string]any{"name": "соколов  АРТЕМ"}), http.StatusOK, &p)
		if len(p.Cases) != 1 || p.Cases[0].Reference != cs.Reference {
			t.Errorf("search found %+v", p.Cases)
		}
		c.ok(c.json("POST", "/api/v1/cases/search", map[string]any{"name": "Sokolov Artyom", "destination": "NL"}), http.StatusOK, &p)
		if len(p.Cases) != 0 {
			t.Errorf("name and destination NL found %+v", p.Cases)
		}
		for _, bad := range []struct {
			method, path string
			body         any
			field        string
		}{
			{"GET", "/api/v1/cases?name=Sokolov+Artyom", nil, "name"},
			{"POST", "/api/v1/cases/search", map[string]any{"name": "   "}, "name"},
			{"POST", "/api/v1/cases/search", map[string]any{"name": 7}, "name"},
			{"POST", "/api/v1/cases/search", map[string]any{"surname": "Sokolov"}, "surname"},
		} {
			r := c.json(bad.method, bad.path, bad.body)
			if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), `"`+bad.field+`"`) {
				t.Errorf("%s %s %v: %d %s", bad.method, bad.path, bad.body, r.status, r.body)
			}
		}
	})
}

func TestHealthAndReady(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		c := newClient(t, db)
		c.ok(c.json("GET", "/healthz", nil), http.StatusOK, nil)
		c.ok(c.json("GET", "/readyz", nil), http.StatusOK, nil)
		r := c.json("GET", "/", nil)
		c.ok(r, http.StatusOK, nil)
		for _, s := range []string{`lang="ru"`, `lang="de"`, `lang="en"`} {
			if !strings.Contains(string(r.body), s) {
				t.Errorf("home page lacks %s", s)
			}
		}
	})
}

// TestLog_NamesRoutesNotPaths checks that request logs carry the route
// pattern and never the path, which names a case, nor anything sent.
func TestLog_NamesRoutesNotPaths(t *testing.T) {
	db := storetest.OpenSQLite(t)
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	a := app.New(db, mustPack(t), log)
	srv := httptest.NewServer(web.NewHandler(a, log, web.Options{}))
	defer srv.Close()
	c := &client{t: t, srv: srv, token: staffToken(t, db, a, lena, sanctuary.RoleCaseworker)}
	cs := c.createCase()
	c.json("GET", "/api/v1/cases/"+cs.Reference+"?q=Sokolov", nil)
	out := buf.String()
	if !strings.Contains(out, `route="GET /api/v1/cases/{ref}"`) {
		t.Errorf("log lacks the route pattern:\n%s", out)
	}
	for _, secret := range []string{cs.Reference, "Sokolov", "Соколов", "1998-07-02"} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q:\n%s", secret, out)
		}
	}
}
