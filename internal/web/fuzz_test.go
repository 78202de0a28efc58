package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
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

// FuzzUpload sends arbitrary multipart bodies to the API's upload route.
// The answer is never a server error, and an upload is stored whole or
// not at all: when it is stored, the body parses, by the standard
// library's reader, as a meta part, a file part of exactly the stored
// size and the closing boundary; when it is not, the case and the vault
// are as they were.
func FuzzUpload(f *testing.F) {
	whole := fileHead + "fictional summons\r\n--" + boundary + "--\r\n"
	meta := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"meta\"\r\n\r\n" + `{"title":"Summons (fictional)","kind":"summons"}` + "\r\n"
	for _, s := range []string{meta + whole, meta + fileHead + "fictional", meta + fileHead + "fictional\r\n--" + boundary,
		meta + fileHead + "x\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\ny\r\n--" + boundary + "--\r\n",
		meta + whole + "epilogue", meta, whole, ""} {
		f.Add([]byte(s))
	}
	db := storetest.OpenSQLite(f)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ev := testEvidence(f)
	a := app.New(db, mustPack(f), log, app.WithEvidence(ev))
	h := web.NewHandler(a, log, web.Options{})
	token = staffToken(f, db, a, lena, sanctuary.RoleCaseworker)
	var c casefile.Case
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, jsonRequest("POST", "/api/v1/cases", `{"person":{"name_latin":{"family":"Petrov"}}}`))
	if err := json.Unmarshal(rec.Body.Bytes(), &c); err != nil || rec.Code != http.StatusCreated {
		f.Fatalf("seed case: %d %s", rec.Code, rec.Body)
	}
	path := "/api/v1/cases/" + c.Reference + "/evidence"
	f.Fuzz(func(t *testing.T, body []byte) {
		before, _ := ev.Store.List()
		req := httptest.NewRequest("POST", path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		after, _ := ev.Store.List()
		switch {
		case rec.Code >= 500:
			t.Fatalf("%q: status %d %s", body, rec.Code, rec.Body)
		case rec.Code != http.StatusCreated && len(after) != len(before):
			t.Fatalf("%q: refused (%d) but the vault went from %d to %d objects", body, rec.Code, len(before), len(after))
		case rec.Code == http.StatusCreated:
			var it app.EvidenceView
			json.Unmarshal(rec.Body.Bytes(), &it)
			if n, ok := wholeUpload(body); !ok || n != it.Size {
				t.Fatalf("%q: stored as %d bytes, but it is not a whole upload of one (whole %v, %d bytes)", body, it.Size, ok, n)
			}
		}
	})
}

// wholeUpload parses a body with the standard library alone: a meta part,
// a file part, then the closing boundary; it returns the file's size.
func wholeUpload(body []byte) (int64, bool) {
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	if p, err := mr.NextPart(); err != nil || p.FormName() != "meta" {
		return 0, false
	}
	p, err := mr.NextPart()
	if err != nil || p.FormName() != "file" {
		return 0, false
	}
	n, err := io.Copy(io.Discard, p)
	if err != nil {
		return n, false
	}
	_, err = mr.NextPart()
	return n, err == io.EOF
}
