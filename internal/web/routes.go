package web

import (
	"log/slog"
	"net/http"

	"github.com/sanctuary-platform/sanctuary/internal/app"
)

// route is one entry of the HTTP surface.
type route struct {
	method, pattern string
	handler         http.Handler
}

// routes lists every route Sanctuary serves. The OpenAPI document
// (openapi.json) must describe every /api/ route here; a test checks both
// ways.
func routes(a *app.App, log *slog.Logger) []route {
	return []route{
		{"GET", "/{$}", home()},
		{"GET", "/healthz", healthz()},
		{"GET", "/readyz", readyz(a, log)},

		{"GET", "/api/v1/openapi.json", openAPI()},
		{"GET", "/api/v1/vocabulary", apiVocabulary(a, log)},

		{"POST", "/api/v1/cases", apiCaseCreate(a, log)},
		{"GET", "/api/v1/cases", apiCaseList(a, log)},
		{"POST", "/api/v1/cases/search", apiCaseSearch(a, log)},
		{"GET", "/api/v1/cases/{ref}", apiCaseGet(a, log)},
		{"PATCH", "/api/v1/cases/{ref}", apiCaseUpdate(a, log)},
		{"GET", "/api/v1/cases/{ref}/export", apiCaseExport(a, log)},

		{"GET", "/api/v1/cases/{ref}/facts", apiFactList(a, log)},
		{"POST", "/api/v1/cases/{ref}/facts", apiFactSetMany(a, log)},
		{"GET", "/api/v1/cases/{ref}/facts/history", apiFactHistory(a, log)},
		{"PUT", "/api/v1/cases/{ref}/facts/{name}", apiFactSet(a, log)},
		{"DELETE", "/api/v1/cases/{ref}/facts/{name}", apiFactClear(a, log)},
		{"GET", "/api/v1/cases/{ref}/facts/{name}/history", apiFactHistory(a, log)},

		{"POST", "/api/v1/cases/{ref}/transitions", apiCaseTransition(a, log)},
		{"GET", "/api/v1/cases/{ref}/notes", apiNoteList(a, log)},
		{"POST", "/api/v1/cases/{ref}/notes", apiNoteAdd(a, log)},
		{"GET", "/api/v1/cases/{ref}/timeline", apiTimeline(a, log)},

		{"POST", "/api/v1/cases/{ref}/assessments", apiAssessmentCreate(a, log)},
		{"GET", "/api/v1/cases/{ref}/assessments", apiAssessmentList(a, log)},
		{"GET", "/api/v1/cases/{ref}/assessments/latest", apiAssessmentGet(a, log)},
		{"GET", "/api/v1/cases/{ref}/assessments/preview", apiAssessmentPreview(a, log)},
		{"GET", "/api/v1/cases/{ref}/assessments/{id}", apiAssessmentGet(a, log)},
		{"GET", "/api/v1/cases/{ref}/assessments/{id}/reproduction", apiAssessmentReproduce(a, log)},
		{"GET", "/api/v1/knowledge", apiKnowledge(a, log)},

		{"POST", "/api/v1/cases/{ref}/evidence", apiEvidenceAdd(a, log)},
		{"GET", "/api/v1/cases/{ref}/evidence", apiEvidenceList(a, log)},
		{"POST", "/api/v1/cases/{ref}/evidence/export", apiEvidenceExport(a, log)},
		{"GET", "/api/v1/cases/{ref}/evidence/{id}", apiEvidenceGet(a, log)},
		{"PATCH", "/api/v1/cases/{ref}/evidence/{id}", apiEvidenceUpdate(a, log)},
		{"GET", "/api/v1/cases/{ref}/evidence/{id}/content", apiEvidenceContent(a, log)},
		{"GET", "/api/v1/cases/{ref}/evidence/{id}/custody", apiEvidenceCustody(a, log)},
		{"POST", "/api/v1/cases/{ref}/evidence/{id}/stripped-copy", apiEvidenceStrip(a, log)},
	}
}
