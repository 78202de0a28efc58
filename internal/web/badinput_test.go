package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
	"github.com/sanctuary-platform/sanctuary/internal/web"
)

// TestAPI_BadInput sends every kind of bad request the API must refuse and
// checks the status, the error code, the field named, and that nothing was
// written: the case, its facts and its timeline are as before.
func TestAPI_BadInput(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		c := newClient(t, db)
		cs := c.createCase()
		base := "/api/v1/cases/" + cs.Reference
		c.ok(c.json("PUT", base+"/facts/has_summons", map[string]any{"value": true, "source": "statement"}), http.StatusOK, nil)
		before := snapshot(t, c, base)
		casesBefore := countCases(t, c)

		person := `"person":{"name_latin":{"family":"Petrov"}`
		huge := `{"body":"` + strings.Repeat("x", web.MaxBodyBytes) + `"}`
		tests := []struct {
			name, method, path, ctype, body string
			status                          int
			code, field                     string
		}{
			{"MalformedJSON", "POST", "/api/v1/cases", "application/json", `{"person": {`, 400, "invalid", ""},
			{"NotJSONAtAll", "POST", base + "/notes", "application/json", `body=hello`, 400, "invalid", ""},
			{"EmptyBody", "POST", base + "/notes", "application/json", ``, 400, "invalid", ""},
			{"TrailingData", "POST", base + "/notes", "application/json", `{"body":"a"} {"body":"b"}`, 400, "invalid", ""},
			{"WrongContentType", "POST", base + "/notes", "text/plain", `{"body":"a"}`, 415, "unsupported_media_type", ""},
			{"FormPost", "POST", base + "/notes", "application/x-www-form-urlencoded", `body=a`, 415, "unsupported_media_type", ""},
			{"UnknownField", "POST", base + "/notes", "application/json", `{"body":"a","color":"red"}`, 400, "invalid", "color"},
			{"WrongTypeString", "POST", base + "/notes", "application/json", `{"body":42}`, 400, "invalid", "body"},
			{"WrongTypeList", "POST", "/api/v1/cases", "application/json", `{` + person + `},"destinations":"DE"}`, 400, "invalid", "destinations"},
			{"WrongTypeDate", "POST", "/api/v1/cases", "application/json", `{` + person + `,"birth_date":19980702}}`, 400, "invalid", "person.birth_date"},
			{"ImpossibleBirthDate", "POST", "/api/v1/cases", "application/json", `{` + person + `,"birth_date":"1998-02-30"}}`, 400, "invalid", "person.birth_date"},
			{"NoName", "POST", "/api/v1/cases", "application/json", `{"person":{"citizenships":["RU"]}}`, 400, "invalid", "person.name_latin"},
			{"BadCountry", "POST", "/api/v1/cases", "application/json", `{` + person + `},"destinations":["XX"]}`, 400, "invalid", "destinations[0]"},
			{"UnknownFactName", "PUT", base + "/facts/favourite_colour", "application/json", `{"value":"red","source":"statement"}`, 400, "invalid", "name"},
			{"UnknownFactInBatch", "POST", base + "/facts", "application/json", `{"facts":[{"name":"left_russia","value":true,"source":"statement"},{"name":"nope","value":1,"source":"statement"}]}`, 400, "invalid", "facts[1].name"},
			{"FactWrongType", "PUT", base + "/facts/has_summons", "application/json", `{"value":"two","source":"statement"}`, 400, "invalid", "value"},
			{"FactNumberForBool", "PUT", base + "/facts/has_summons", "application/json", `{"value":2.5,"source":"statement"}`, 400, "invalid", "value"},
			{"FactImpossibleDate", "PUT", base + "/facts/departure_date", "application/json", `{"value":"2022-09-31","source":"statement"}`, 400, "invalid", "value"},
			{"FactEnumOutside", "PUT", base + "/facts/summons_form", "application/json", `{"value":"pigeon","source":"statement"}`, 400, "invalid", "value"},
			{"FactBadSource", "PUT", base + "/facts/left_russia", "application/json", `{"value":true,"source":"rumour"}`, 400, "invalid", "source"},
			{"FactUnknownWithValue", "PUT", base + "/facts/left_russia", "application/json", `{"state":"unknown","value":true,"source":"statement"}`, 400, "invalid", "value"},
			{"FactNoValue", "PUT", base + "/facts/left_russia", "application/json", `{"source":"statement"}`, 400, "invalid", "value"},
			{"ClearUnaskedFact", "DELETE", base + "/facts/left_russia", "", ``, 404, "not_found", ""},
			{"OversizeBody", "POST", base + "/notes", "application/json", huge, 413, "too_large", ""},
			{"InvalidTransition", "POST", base + "/transitions", "application/json", `{"to":"decision"}`, 409, "conflict", "to"},
			{"UnknownStatus", "POST", base + "/transitions", "application/json", `{"to":"heaven"}`, 400, "invalid", "to"},
			{"StaleVersion", "PATCH", base, "application/json", `{"assignees":["omar@ngo.example"],"version":99}`, 409, "conflict", "version"},
			{"EmptyUpdate", "PATCH", base, "application/json", `{}`, 400, "invalid", "person"},
			{"EmptyNote", "POST", base + "/notes", "application/json", `{"body":"   "}`, 400, "invalid", "body"},
			{"ControlCharsInNote", "POST", base + "/notes", "application/json", `{"body":"a\u001b[31mred"}`, 400, "invalid", "body"},
			{"UnknownCase", "GET", "/api/v1/cases/SN-2026-9999", "", ``, 404, "not_found", ""},
			{"UnknownCaseWrite", "POST", "/api/v1/cases/SN-2026-9999/notes", "application/json", `{"body":"a"}`, 404, "not_found", ""},
			{"MalformedReference", "GET", "/api/v1/cases/../../etc", "", ``, 404, "not_found", ""},
			{"BadLimit", "GET", "/api/v1/cases?limit=abc", "", ``, 400, "invalid", "limit"},
			{"LimitTooLarge", "GET", "/api/v1/cases?limit=100000", "", ``, 400, "invalid", "limit"},
			{"BadCursor", "GET", "/api/v1/cases?cursor=%21%21", "", ``, 400, "invalid", "cursor"},
			{"BadStatusFilter", "GET", "/api/v1/cases?status=lost", "", ``, 400, "invalid", "status[0]"},
			{"BadTimelineAfter", "GET", base + "/timeline?after=-1", "", ``, 400, "invalid", "after"},
			{"UnknownRoute", "GET", "/api/v1/nothing", "", ``, 404, "not_found", ""},
			{"WrongMethod", "DELETE", base, "", ``, 405, "invalid", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := c.do(tt.method, tt.path, tt.ctype, strings.NewReader(tt.body))
				if r.status != tt.status {
					t.Fatalf("status %d, want %d; body %s", r.status, tt.status, r.body)
				}
				var e errorBody
				if err := json.Unmarshal(r.body, &e); err != nil {
					t.Fatalf("error body is not the error shape: %s", r.body)
				}
				if e.Error.Code != tt.code || e.Error.Message == "" {
					t.Errorf("error = %+v, want code %s", e.Error, tt.code)
				}
				if tt.field != "" && e.Error.Fields[tt.field] == "" {
					t.Errorf("no message for field %q: %s", tt.field, r.body)
				}
			})
		}
		if after := snapshot(t, c, base); after != before {
			t.Errorf("refused requests changed the case:\nbefore %s\nafter  %s", before, after)
		}
		if n := countCases(t, c); n != casesBefore {
			t.Errorf("refused requests created cases: %d, was %d", n, casesBefore)
		}
	})
}

// snapshot renders the case, its facts, notes and timeline, to compare.
func snapshot(t *testing.T, c *client, base string) string {
	t.Helper()
	var parts []string
	for _, p := range []string{base, base + "/facts", base + "/facts/history", base + "/notes", base + "/timeline"} {
		r := c.json("GET", p, nil)
		c.ok(r, http.StatusOK, nil)
		parts = append(parts, string(r.body))
	}
	return strings.Join(parts, "\n")
}

func countCases(t *testing.T, c *client) int {
	t.Helper()
	var p app.CasePage
	c.ok(c.json("GET", "/api/v1/cases?limit=200", nil), http.StatusOK, &p)
	return len(p.Cases)
}
