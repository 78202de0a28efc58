package web_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

func TestAPI_Assessments(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		c := newClient(t, db)
		cs := c.createCase()
		base := "/api/v1/cases/" + cs.Reference
		c.ok(c.json("PUT", base+"/facts/is_deserter", map[string]any{"value": true, "source": "statement"}), http.StatusOK, nil)

		var st app.StoredAssessment
		r := c.json("POST", base+"/assessments", map[string]any{"as_of": "2024-06-01"})
		c.ok(r, http.StatusCreated, &st)
		if st.ID == 0 || len(st.Assessment.Findings) == 0 || r.header.Get("Location") != base+"/assessments/"+strconv.FormatInt(st.ID, 10) {
			t.Fatalf("created %+v, location %q", st.ID, r.header.Get("Location"))
		}
		var list struct{ Assessments []app.AssessmentSummary }
		c.ok(c.json("GET", base+"/assessments", nil), http.StatusOK, &list)
		if len(list.Assessments) != 1 || list.Assessments[0].AsOf != "2024-06-01" {
			t.Errorf("list %+v", list)
		}
		var latest, byID app.StoredAssessment
		c.ok(c.json("GET", base+"/assessments/latest", nil), http.StatusOK, &latest)
		c.ok(c.json("GET", base+"/assessments/"+strconv.FormatInt(st.ID, 10), nil), http.StatusOK, &byID)
		if latest.ID != st.ID || byID.ID != st.ID {
			t.Errorf("latest %d, by id %d, want %d", latest.ID, byID.ID, st.ID)
		}
		var rep app.Reproduction
		c.ok(c.json("GET", base+"/assessments/"+strconv.FormatInt(st.ID, 10)+"/reproduction", nil), http.StatusOK, &rep)
		if !rep.Identical {
			t.Errorf("reproduction differs: %+v", rep.Difference)
		}
		var prev struct {
			Assessment map[string]any
			Difference struct{ Changes []map[string]any }
		}
		c.ok(c.json("GET", base+"/assessments/preview?as_of=2025-09-01&compare_with=2022-06-01", nil), http.StatusOK, &prev)
		if prev.Assessment == nil || len(prev.Difference.Changes) == 0 {
			t.Errorf("preview with comparison: %+v", prev)
		}
		var pack struct {
			Version string
			Rules   []map[string]any
		}
		c.ok(c.json("GET", "/api/v1/knowledge", nil), http.StatusOK, &pack)
		if pack.Version == "" || len(pack.Rules) < 29 {
			t.Errorf("knowledge: version %q, %d rules", pack.Version, len(pack.Rules))
		}
	})
}

func TestAPI_AssessmentsBadInput(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		c := newClient(t, db)
		cs := c.createCase()
		base := "/api/v1/cases/" + cs.Reference
		for _, tc := range []struct {
			method, path, body string
			status             int
		}{
			{"POST", base + "/assessments", `{"as_of":"2024-02-30"}`, 400},
			{"POST", base + "/assessments", `{"jurisdictions":["XX"]}`, 400},
			{"POST", base + "/assessments", `{"as_of":20240101}`, 400},
			{"POST", base + "/assessments", `{"when":"now"}`, 400},
			{"POST", "/api/v1/cases/SN-2026-9999/assessments", `{}`, 404},
			{"GET", base + "/assessments/latest", ``, 404},
			{"GET", base + "/assessments/abc", ``, 404},
			{"GET", base + "/assessments/999", ``, 404},
			{"GET", base + "/assessments/preview?as_of=yesterday", ``, 400},
			{"GET", base + "/assessments/preview?compare_with=2024-13-01", ``, 400},
		} {
			r := c.do(tc.method, tc.path, "application/json", stringsReader(tc.body))
			if r.status != tc.status {
				t.Errorf("%s %s %s: status %d, want %d (%s)", tc.method, tc.path, tc.body, r.status, tc.status, r.body)
			}
		}
		var list struct{ Assessments []app.AssessmentSummary }
		c.ok(c.json("GET", base+"/assessments", nil), http.StatusOK, &list)
		if len(list.Assessments) != 0 {
			t.Errorf("refused requests kept %d assessments", len(list.Assessments))
		}
	})
}
