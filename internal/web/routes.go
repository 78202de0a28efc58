package web

import (
	"log/slog"
	"net/http"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
)

// route is one entry of the HTTP surface, with its row of the
// authorization table.
type route struct {
	method, pattern string
	handler         http.Handler
	access          access
}

// routes lists every route Sanctuary serves, each with who may call it.
// The OpenAPI document (openapi.json) must describe every /api/ route here
// (a test checks both ways), and the authorization matrix test calls every
// route as every role and checks the answer against its access column.
//
// Routes under /api/ take API tokens; all others are browser routes with
// session cookies and CSRF tokens.
func routes(a *app.App, log *slog.Logger, opt Options) []route {
	var (
		team    = teamOf(sanctuary.RoleLawyer, sanctuary.RoleCaseworker)
		writers = roles(sanctuary.RoleLawyer, sanctuary.RoleCaseworker)
		lister  = roles(caseworkRoles...)
		staff   = roles(sanctuary.StaffRoles()...)
		admins  = roles(sanctuary.RoleAdmin)
		audit   = roles(sanctuary.RoleAuditor)
		client  = roles(sanctuary.RoleClient)
	)
	return []route{
		{"GET", "/{$}", pageHome(log), public},
		{"GET", "/static/{file...}", static(), asset},
		{"GET", "/healthz", healthz(), public},
		{"GET", "/readyz", readyz(a, log), public},

		{"GET", "/login", pageLogin(log), public},
		{"POST", "/login", pageLoginPost(a, log, opt), public},
		{"GET", "/login/second-factor", pageSecondFactor(a, log, opt), public},
		{"POST", "/login/totp", pageFactorPost(a, log, opt, false), public},
		{"POST", "/login/recovery", pageFactorPost(a, log, opt, true), public},
		{"POST", "/login/passkey/begin", pagePasskeyBegin(log, opt, a.BeginPasskeyLogin), public},
		{"POST", "/login/passkey/finish", pagePasskeyLoginFinish(a, log, opt), public},
		{"GET", "/login/enroll", pageEnroll(a, log, opt), public},
		{"POST", "/login/enroll", pageEnrollPost(a, log, opt), public},
		{"GET", "/passkey/{token}", pagePasskeyLink(a, log), public},
		{"POST", "/passkey/{token}", pagePasskeyLinkPost(a, log, opt), public},
		{"GET", "/login/passkey-enroll", pagePasskeyEnroll(a, log, opt), public},
		{"POST", "/login/passkey-enroll/begin", pagePasskeyBegin(log, opt, a.BeginPasskeyEnrolment), public},
		{"POST", "/login/passkey-enroll/finish", pagePasskeyEnrollFinish(a, log, opt), public},
		{"GET", "/setup/{token}", pageSetup(a, log), public},
		{"POST", "/setup/{token}", pageSetupPost(a, log), public},
		{"POST", "/logout", pageLogout(a, opt), signedIn},
		{"POST", "/logout-everywhere", pageLogoutEverywhere(a, log, opt), staff},
		{"GET", "/account", pageAccount(a, log, opt), staff},
		{"POST", "/account/tokens", pageTokenCreate(a, log), staff},
		{"POST", "/account/tokens/revoke", pageTokenRevoke(a, log), staff},
		{"POST", "/account/passkeys/begin", pagePasskeyBegin(log, opt, a.BeginPasskeyRegistration), staff},
		{"POST", "/account/passkeys/finish", pagePasskeyAddFinish(a, log, opt), staff},
		{"POST", "/account/passkeys/remove", pagePasskeyRemove(a, log), staff},
		{"GET", "/admin/sign-in", pageSignInPolicy(a, log), admins},
		{"POST", "/admin/sign-in", pageSignInPolicyPost(a, log), admins},
		{"GET", "/dashboard", pageDashboard(a, log), lister},
		{"GET", "/knowledge", pageKnowledge(a, log), staff},
		{"GET", "/cases", pageCases(a, log), lister},
		{"POST", "/cases/search", pageCaseSearch(a, log), lister},
		{"GET", "/cases/new", pageCaseNew(a, log), writers},
		{"POST", "/cases", pageCaseCreate(a, log), writers},
		{"GET", "/cases/{ref}", pageCase(a, log), team},
		{"GET", "/cases/{ref}/edit", pageCaseEdit(a, log), team},
		{"POST", "/cases/{ref}/edit", pageCaseUpdate(a, log), team},
		{"POST", "/cases/{ref}/facts", pageFactSet(a, log), team},
		{"POST", "/cases/{ref}/notes", pageNoteAdd(a, log), team},
		{"POST", "/cases/{ref}/transitions", pageTransition(a, log), team},
		{"POST", "/cases/{ref}/assessments", pageAssessmentKeep(a, log), team},
		{"POST", "/cases/{ref}/invitations", pageInvitationCreate(a, log), team},
		{"POST", "/cases/{ref}/deadlines", pageDeadlineAdd(a, log), team},
		{"POST", "/cases/{ref}/deadlines/{id}/done", pageDeadlineDone(a, log), team},
		{"POST", "/cases/{ref}/evidence", pageEvidenceUpload(a, log), team},
		{"GET", "/cases/{ref}/evidence/{id}", pageEvidence(a, log, opt), team},
		{"GET", "/cases/{ref}/evidence/{id}/content", pageEvidenceContent(a, log, opt), team},
		{"GET", "/cases/{ref}/interview", pageInterview(a, log, place{}), team},
		{"POST", "/cases/{ref}/interview", pageInterviewAnswer(a, log, place{}), team},

		{"GET", "/invite/{token}", pageInvite(log), public},
		{"POST", "/invite/{token}", pageInvitePost(a, log, opt), public},
		{"GET", "/client", pageClient(a, log), client},
		{"POST", "/client/evidence", pageClientUpload(a, log), client},
		{"GET", "/client/questions", pageClientQuestions(a, log), client},
		{"POST", "/client/questions", pageClientAnswers(a, log), client},
		{"GET", "/client/interview", pageInterview(a, log, place{client: true}), client},
		{"POST", "/client/interview", pageInterviewAnswer(a, log, place{client: true}), client},
		{"POST", "/client/submit", pageAnswersSubmit(a, log), client},

		{"GET", "/api/v1/openapi.json", openAPI(), public},
		{"GET", "/api/v1/vocabulary", apiVocabulary(a, log), staff},
		{"GET", "/api/v1/knowledge", apiKnowledge(a, log), staff},

		{"POST", "/api/v1/cases", apiCaseCreate(a, log), writers},
		{"GET", "/api/v1/cases", apiCaseList(a, log), lister},
		{"POST", "/api/v1/cases/search", apiCaseSearch(a, log), lister},
		{"GET", "/api/v1/cases/{ref}", apiCaseGet(a, log), team},
		{"PATCH", "/api/v1/cases/{ref}", apiCaseUpdate(a, log), team},
		{"GET", "/api/v1/cases/{ref}/export", apiCaseExport(a, log), team},
		{"POST", "/api/v1/cases/{ref}/break-glass", apiBreakGlass(a, log), admins},

		{"GET", "/api/v1/cases/{ref}/facts", apiFactList(a, log), team},
		{"POST", "/api/v1/cases/{ref}/facts", apiFactSetMany(a, log), team},
		{"GET", "/api/v1/cases/{ref}/facts/history", apiFactHistory(a, log), team},
		{"PUT", "/api/v1/cases/{ref}/facts/{name}", apiFactSet(a, log), team},
		{"DELETE", "/api/v1/cases/{ref}/facts/{name}", apiFactClear(a, log), team},
		{"GET", "/api/v1/cases/{ref}/facts/{name}/history", apiFactHistory(a, log), team},

		{"POST", "/api/v1/cases/{ref}/transitions", apiCaseTransition(a, log), team},
		{"GET", "/api/v1/cases/{ref}/notes", apiNoteList(a, log), team},
		{"POST", "/api/v1/cases/{ref}/notes", apiNoteAdd(a, log), team},
		{"GET", "/api/v1/cases/{ref}/timeline", apiTimeline(a, log), team},
		{"GET", "/api/v1/cases/{ref}/deadlines", apiDeadlineList(a, log), team},
		{"POST", "/api/v1/cases/{ref}/deadlines", apiDeadlineAdd(a, log), team},
		{"POST", "/api/v1/cases/{ref}/deadlines/{id}/done", apiDeadlineDone(a, log), team},
		{"POST", "/api/v1/cases/{ref}/invitations", apiInvitationCreate(a, log), team},
		{"GET", "/api/v1/cases/{ref}/invitations", apiInvitationList(a, log), team},
		{"DELETE", "/api/v1/cases/{ref}/invitations/{id}", apiInvitationRevoke(a, log), team},

		{"POST", "/api/v1/cases/{ref}/assessments", apiAssessmentCreate(a, log), team},
		{"GET", "/api/v1/cases/{ref}/assessments", apiAssessmentList(a, log), team},
		{"GET", "/api/v1/cases/{ref}/assessments/latest", apiAssessmentGet(a, log), team},
		{"GET", "/api/v1/cases/{ref}/assessments/preview", apiAssessmentPreview(a, log), team},
		{"GET", "/api/v1/cases/{ref}/assessments/{id}", apiAssessmentGet(a, log), team},
		{"GET", "/api/v1/cases/{ref}/assessments/{id}/reproduction", apiAssessmentReproduce(a, log), team},

		{"POST", "/api/v1/cases/{ref}/evidence", apiEvidenceAdd(a, log), team},
		{"GET", "/api/v1/cases/{ref}/evidence", apiEvidenceList(a, log), team},
		{"POST", "/api/v1/cases/{ref}/evidence/export", apiEvidenceExport(a, log), team},
		{"GET", "/api/v1/cases/{ref}/evidence/{id}", apiEvidenceGet(a, log), team},
		{"PATCH", "/api/v1/cases/{ref}/evidence/{id}", apiEvidenceUpdate(a, log), team},
		{"GET", "/api/v1/cases/{ref}/evidence/{id}/content", apiEvidenceContent(a, log), team},
		{"GET", "/api/v1/cases/{ref}/evidence/{id}/custody", apiEvidenceCustody(a, log), team},
		{"POST", "/api/v1/cases/{ref}/evidence/{id}/stripped-copy", apiEvidenceStrip(a, log), team},

		{"GET", "/api/v1/tokens", apiTokenList(a, log), staff},
		{"DELETE", "/api/v1/tokens/{id}", apiTokenRevoke(a, log), staff},
		{"GET", "/api/v1/audit", apiAudit(a, log), audit},
		{"GET", "/api/v1/audit/export", apiAuditExport(a, log), audit},
		{"GET", "/api/v1/audit/verify", apiAuditVerify(a, log), audit},
	}
}
