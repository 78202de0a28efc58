package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
	"github.com/sanctuary-platform/sanctuary/internal/web"
)

// FuzzAPI sends arbitrary bodies to every route that reads one, and
// arbitrary path and query strings: the answer must never be a server error
// and must always be JSON.
func FuzzAPI(f *testing.F) {
	seeds := []string{
		`{"person":{"name_latin":{"family":"Petrov"}}}`,
		`{"person":{"name_cyrillic":{"given":"Ян"},"birth_date":"2000-02-30"},"destinations":["DE"]}`,
		`{"facts":[{"name":"left_russia","value":true,"source":"statement"}]}`,
		`{"value":"2022-09-21","source":"document"}`, `{"to":"assessment"}`, `{"body":"x"}`,
		`{"assignees":["omar@ngo.example"],"version":1}`, `[`, `null`, `{"person":null}`, `{"facts":[null]}`,
	}
	for i, s := range seeds {
		f.Add(uint8(i), s, "limit=5")
	}
	db := storetest.OpenSQLite(f)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := app.New(db, mustPack(f), log)
	h := web.NewHandler(a, log, web.Options{})
	token = staffToken(f, db, a, lena, sanctuary.RoleCaseworker)
	var c casefile.Case
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, jsonRequest("POST", "/api/v1/cases", seeds[0]))
	if err := json.Unmarshal(rec.Body.Bytes(), &c); err != nil || rec.Code != http.StatusCreated {
		f.Fatalf("seed case: %d %s", rec.Code, rec.Body)
	}
	base := "/api/v1/cases/" + c.Reference
	routes := []struct{ method, path string }{
		{"POST", "/api/v1/cases"}, {"PATCH", base}, {"POST", base + "/facts"},
		{"PUT", base + "/facts/departure_date"}, {"PUT", base + "/facts/criminal_articles"},
		{"POST", base + "/transitions"}, {"POST", base + "/notes"},
		{"GET", "/api/v1/cases"}, {"GET", base + "/timeline"},
	}
	f.Fuzz(func(t *testing.T, route uint8, body, query string) {
		rt := routes[int(route)%len(routes)]
		req := jsonRequest(rt.method, rt.path, body)
		req.URL.RawQuery = query
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s?%s with %q: status %d %s", rt.method, rt.path, query, body, rec.Code, rec.Body)
		}
		if !json.Valid(rec.Body.Bytes()) && rec.Code != http.StatusNoContent {
			t.Fatalf("%s %s: answer is not JSON: %q", rt.method, rt.path, rec.Body)
		}
	})
}

// token is the fuzz target's API token.
var token string

func jsonRequest(method, path, body string) *http.Request {
	r := httptest.NewRequest(method, path, bytes.NewBufferString(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Authorization", "Bearer "+token)
	return r
}
