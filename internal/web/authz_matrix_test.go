package web_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
	"github.com/sanctuary-platform/sanctuary/internal/web"
	"github.com/sanctuary-platform/sanctuary/internal/webauthntest"
)

const matrixOrigin = "http://localhost:8080"

// who is one caller of the matrix.
type who struct {
	name   string
	role   sanctuary.Role // "" for anonymous
	email  string         // staff
	member bool           // on the team of the "own" case (or its client)
}

// The callers: every staff role, a client of the own case, and nobody.
// The lawyer and caseworker are on the own case's team; a second lawyer
// and caseworker form the other case's team, so every call on the "other"
// case is a call as a member of another team.
var matrixCallers = []who{
	{"admin", sanctuary.RoleAdmin, "root@ngo.example", false},
	{"lawyer", sanctuary.RoleLawyer, "omar@ngo.example", true},
	{"caseworker", sanctuary.RoleCaseworker, "lena@ngo.example", true},
	{"knowledge editor", sanctuary.RoleKnowledgeEditor, "kate@ngo.example", false},
	{"auditor", sanctuary.RoleAuditor, "audit@ngo.example", false},
	{"client", sanctuary.RoleClient, "", true},
	{"anonymous", "", "", false},
}

// matrix is the running server and what its fixtures need.
type matrix struct {
	t        *testing.T
	db       *store.DB
	a        *app.App
	srv      *httptest.Server
	users    map[string]account.User
	tokens   map[string]string // API token of each staff email
	cases    map[bool]matrixCase
	sequence int
	// session is the browser session of the call being made, if any.
	session, csrf string
}

type matrixCase struct {
	ref        string
	id         int64
	evidence   int64
	assessment int64
	invitation int64
}

// TestAuthorizationMatrix calls every route of the web UI and the API as
// every role, on a case of their own team and on another team's case, and
// anonymously, and checks each answer against the route's row of the
// authorization table in routes.go. A route without a row, or without a
// fixture here, fails the test.
func TestAuthorizationMatrix(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		m := newMatrix(t, db)
		checked := 0
		for _, row := range web.RouteRows() {
			key := row.Method + " " + row.Pattern
			if !row.Set {
				t.Errorf("route %s has no row in the authorization table (routes.go)", key)
				continue
			}
			fx, ok := fixtures[key]
			if !ok {
				t.Errorf("route %s has no fixture in the authorization matrix test", key)
				continue
			}
			for _, w := range matrixCallers {
				if web.IsAPI(row.Pattern) && w.role == sanctuary.RoleClient {
					continue // a client has no API token
				}
				for _, own := range []bool{true, false} {
					if !own && !row.PerCase {
						continue
					}
					m.check(row, fx, w, own)
					checked++
				}
			}
		}
		t.Logf("%d calls checked", checked)
	})
}

// fixture makes one call's path parameters and body: ref is the case
// reference the call is about.
type fixture func(m *matrix, w who, c matrixCase) (params map[string]string, contentType string, body []byte)

func noBody(m *matrix, w who, c matrixCase) (map[string]string, string, []byte) {
	return map[string]string{"ref": c.ref}, "", nil
}

func jsonBody(v any) fixture {
	return func(m *matrix, w who, c matrixCase) (map[string]string, string, []byte) {
		b, _ := json.Marshal(v)
		return map[string]string{"ref": c.ref}, "application/json", b
	}
}

func form(v url.Values) fixture {
	return func(m *matrix, w who, c matrixCase) (map[string]string, string, []byte) {
		return map[string]string{"ref": c.ref}, "application/x-www-form-urlencoded", []byte(v.Encode())
	}
}

func withParams(p map[string]string) fixture {
	return func(m *matrix, w who, c matrixCase) (map[string]string, string, []byte) {
		out := map[string]string{"ref": c.ref}
		for k, v := range p {
			out[k] = v
		}
		return out, "", nil
	}
}

func evidenceID(m *matrix, w who, c matrixCase) (map[string]string, string, []byte) {
	return map[string]string{"ref": c.ref, "id": fmt.Sprint(c.evidence)}, "", nil
}

// editForm is the whole edit form of a case (a form short of a field is
// refused before anyone is asked), at a version the case is not at.
var editForm = url.Values{"family_latin": {"Sokolov"}, "given_latin": {"Artyom"}, "family_cyrillic": {""}, "given_cyrillic": {""},
	"patronymic_cyrillic": {""}, "birth_date": {""}, "citizenships": {"RU"}, "languages": {"ru"}, "destinations": {"DE", "NL"},
	"assignees": {"lena@ngo.example"}, "version": {"999"}}

var fixtures = map[string]fixture{
	"GET /{$}":                                              noBody,
	"GET /static/{file...}":                                 withParams(map[string]string{"file...": "style.css"}),
	"GET /healthz":                                          noBody,
	"GET /readyz":                                           noBody,
	"GET /login":                                            noBody,
	"POST /login":                                           form(url.Values{"email": {"nobody@ngo.example"}, "password": {"wrong password"}}),
	"GET /login/second-factor":                              noBody,
	"POST /login/totp":                                      form(url.Values{"code": {"123456"}}),
	"POST /login/recovery":                                  form(url.Values{"code": {"AAAAA-AAAAA"}}),
	"POST /login/passkey/begin":                             noBody,
	"POST /login/passkey/finish":                            jsonBody(map[string]any{"credential": map[string]any{}}),
	"GET /login/enroll":                                     noBody,
	"POST /login/enroll":                                    form(url.Values{"code": {"123456"}}),
	"GET /passkey/{token}":                                  withParams(map[string]string{"token": "snk_nonsense"}),
	"POST /passkey/{token}":                                 withParams(map[string]string{"token": "snk_nonsense"}),
	"GET /login/passkey-enroll":                             noBody,
	"POST /login/passkey-enroll/begin":                      noBody,
	"POST /login/passkey-enroll/finish":                     jsonBody(map[string]any{"name": "matrix key", "credential": map[string]any{}}),
	"GET /admin/sign-in":                                    noBody,
	"POST /admin/sign-in":                                   form(url.Values{"role": {"knowledge_editor"}, "required": {"0"}}),
	"GET /setup/{token}":                                    withParams(map[string]string{"token": "snu_nonsense"}),
	"POST /setup/{token}":                                   withParams(map[string]string{"token": "snu_nonsense"}),
	"POST /logout":                                          noBody,
	"POST /logout-everywhere":                               noBody,
	"GET /account":                                          noBody,
	"POST /account/tokens":                                  form(url.Values{"name": {"matrix"}, "scope": {app.ScopeKnowledgeRead}, "days": {"1"}}),
	"POST /account/tokens/revoke":                           (*matrix).freshTokenForm,
	"POST /account/passkeys/begin":                          noBody,
	"POST /account/passkeys/finish":                         (*matrix).passkeyAnswer,
	"POST /account/passkeys/remove":                         (*matrix).passkeyToRemove,
	"GET /dashboard":                                        noBody,
	"GET /knowledge":                                        noBody,
	"GET /cases":                                            noBody,
	"POST /cases/search":                                    form(url.Values{"name": {"Sokolov Artyom"}}),
	"GET /cases/new":                                        noBody,
	"POST /cases":                                           form(url.Values{"family_cyrillic": {"Орлов"}, "given_cyrillic": {"Тимур"}, "destinations": {"DE"}}),
	"GET /cases/{ref}":                                      noBody,
	"GET /cases/{ref}/edit":                                 noBody,
	"POST /cases/{ref}/edit":                                form(editForm),
	"POST /cases/{ref}/facts":                               form(url.Values{"name": {"has_summons"}, "f_has_summons": {"yes"}, "source": {"statement"}}),
	"POST /cases/{ref}/notes":                               form(url.Values{"body": {"Called back."}}),
	"POST /cases/{ref}/transitions":                         form(url.Values{"to": {"assessment"}}),
	"POST /cases/{ref}/assessments":                         form(url.Values{}),
	"POST /cases/{ref}/invitations":                         form(url.Values{"language": {"de"}}),
	"POST /cases/{ref}/evidence":                            (*matrix).pageUpload,
	"POST /cases/{ref}/deadlines":                           form(url.Values{"due": {"2026-12-24"}, "label": {"Appeal against the refusal"}}),
	"POST /cases/{ref}/deadlines/{id}/done":                 (*matrix).freshDeadline,
	"GET /api/v1/cases/{ref}/deadlines":                     noBody,
	"POST /api/v1/cases/{ref}/deadlines":                    jsonBody(map[string]any{"due": "2026-12-24", "label": "Hearing at the BAMF"}),
	"POST /api/v1/cases/{ref}/deadlines/{id}/done":          (*matrix).freshDeadline,
	"GET /cases/{ref}/evidence/{id}":                        evidenceID,
	"GET /cases/{ref}/evidence/{id}/content":                evidenceID,
	"GET /cases/{ref}/interview":                            noBody,
	"POST /cases/{ref}/interview":                           form(url.Values{"name": {"left_russia"}, "f_left_russia": {"yes"}}),
	"GET /client/interview":                                 noBody,
	"POST /client/interview":                                form(url.Values{"name": {"left_russia"}, "unknown_left_russia": {"1"}}),
	"POST /client/submit":                                   noBody,
	"GET /invite/{token}":                                   withParams(map[string]string{"token": "sni_nonsense"}),
	"POST /invite/{token}":                                  withParams(map[string]string{"token": "sni_nonsense"}),
	"GET /client":                                           noBody,
	"POST /client/evidence":                                 (*matrix).clientUpload,
	"GET /client/questions":                                 noBody,
	"POST /client/questions":                                form(url.Values{"f_has_summons": {"yes"}, "unknown_departure_date": {"1"}}),
	"GET /api/v1/openapi.json":                              noBody,
	"GET /api/v1/vocabulary":                                noBody,
	"GET /api/v1/knowledge":                                 noBody,
	"POST /api/v1/cases":                                    jsonBody(map[string]any{"person": map[string]any{"name_cyrillic": map[string]string{"given": "Тимур"}}, "destinations": []string{"DE"}}),
	"GET /api/v1/cases":                                     noBody,
	"POST /api/v1/cases/search":                             jsonBody(map[string]any{"name": "Sokolov Artyom"}),
	"GET /api/v1/cases/{ref}":                               noBody,
	"PATCH /api/v1/cases/{ref}":                             jsonBody(map[string]any{"destinations": []string{"DE", "FR"}}),
	"GET /api/v1/cases/{ref}/export":                        noBody,
	"POST /api/v1/cases/{ref}/break-glass":                  (*matrix).breakGlass,
	"GET /api/v1/cases/{ref}/facts":                         noBody,
	"POST /api/v1/cases/{ref}/facts":                        jsonBody(map[string]any{"facts": []map[string]any{{"name": "has_summons", "value": true, "source": "statement"}}}),
	"GET /api/v1/cases/{ref}/facts/history":                 noBody,
	"PUT /api/v1/cases/{ref}/facts/{name}":                  (*matrix).factPut,
	"DELETE /api/v1/cases/{ref}/facts/{name}":               (*matrix).factToClear,
	"GET /api/v1/cases/{ref}/facts/{name}/history":          withParams(map[string]string{"name": "has_summons"}),
	"POST /api/v1/cases/{ref}/transitions":                  jsonBody(map[string]any{"to": "assessment"}),
	"GET /api/v1/cases/{ref}/notes":                         noBody,
	"POST /api/v1/cases/{ref}/notes":                        jsonBody(map[string]any{"body": "Called back."}),
	"GET /api/v1/cases/{ref}/timeline":                      noBody,
	"POST /api/v1/cases/{ref}/invitations":                  jsonBody(map[string]any{"language": "ru"}),
	"GET /api/v1/cases/{ref}/invitations":                   noBody,
	"DELETE /api/v1/cases/{ref}/invitations/{id}":           (*matrix).freshInvitation,
	"POST /api/v1/cases/{ref}/assessments":                  jsonBody(map[string]any{}),
	"GET /api/v1/cases/{ref}/assessments":                   noBody,
	"GET /api/v1/cases/{ref}/assessments/latest":            noBody,
	"GET /api/v1/cases/{ref}/assessments/preview":           noBody,
	"GET /api/v1/cases/{ref}/assessments/{id}":              (*matrix).assessmentID,
	"GET /api/v1/cases/{ref}/assessments/{id}/reproduction": (*matrix).assessmentID,
	"POST /api/v1/cases/{ref}/evidence":                     (*matrix).apiUpload,
	"GET /api/v1/cases/{ref}/evidence":                      noBody,
	"POST /api/v1/cases/{ref}/evidence/export":              (*matrix).exportBody,
	"GET /api/v1/cases/{ref}/evidence/{id}":                 evidenceID,
	"PATCH /api/v1/cases/{ref}/evidence/{id}":               (*matrix).evidencePatch,
	"GET /api/v1/cases/{ref}/evidence/{id}/content":         evidenceID,
	"GET /api/v1/cases/{ref}/evidence/{id}/custody":         evidenceID,
	"POST /api/v1/cases/{ref}/evidence/{id}/stripped-copy":  evidenceID,
	"GET /api/v1/tokens":                                    noBody,
	"DELETE /api/v1/tokens/{id}":                            (*matrix).freshTokenID,
	"GET /api/v1/audit":                                     noBody,
	"GET /api/v1/audit/export":                              noBody,
	"GET /api/v1/audit/verify":                              noBody,
}

func newMatrix(t *testing.T, db *store.DB) *matrix {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := app.New(db, mustPack(t), log, app.WithEvidence(testEvidence(t)), app.WithPublicURL(matrixOrigin))
	srv := httptest.NewServer(web.NewHandler(a, log, web.Options{}))
	t.Cleanup(srv.Close)
	m := &matrix{t: t, db: db, a: a, srv: srv, users: map[string]account.User{}, tokens: map[string]string{},
		cases: map[bool]matrixCase{}}
	others := map[string]sanctuary.Role{"jana@ngo.example": sanctuary.RoleCaseworker, "vera@ngo.example": sanctuary.RoleLawyer}
	for _, w := range matrixCallers {
		if w.email != "" {
			m.tokens[w.email] = staffToken(t, db, a, w.email, w.role)
		}
	}
	for e, r := range others {
		staffToken(t, db, a, e, r)
	}
	db.View(context.Background(), func(tx *store.Tx) error {
		us, err := tx.Users(context.Background())
		for _, u := range us {
			m.users[u.Email] = u
		}
		return err
	})
	m.cases[true] = m.newCase("lena@ngo.example", "omar@ngo.example")
	m.cases[false] = m.newCase("jana@ngo.example", "vera@ngo.example")
	return m
}

func (m *matrix) as(email string) context.Context {
	u := m.users[email]
	return sanctuary.WithPrincipal(context.Background(), sanctuary.Principal{Role: u.Role, UserID: u.ID, Email: u.Email, Via: "test"})
}

// newCase opens a case with a team of two, an evidence item (a JPEG, so a
// stripped copy can be made), a kept assessment and an invitation.
func (m *matrix) newCase(caseworker, lawyer string) matrixCase {
	m.t.Helper()
	ctx := m.as(caseworker)
	c, err := m.a.CreateCase(ctx, app.NewCase{Person: matrixPerson(), Destinations: []string{"DE"}, Assignees: []string{lawyer}})
	if err != nil {
		m.t.Fatal(err)
	}
	it, err := m.a.AddEvidence(ctx, c.Reference, evidence.Meta{Title: "Summons (fictional)", Kind: evidence.KindSummons,
		OriginalName: "summons.jpg"}, bytes.NewReader(tinyJPEG()))
	if err != nil {
		m.t.Fatal(err)
	}
	st, err := m.a.AssessCase(ctx, c.Reference, app.AssessRequest{})
	if err != nil {
		m.t.Fatal(err)
	}
	inv, _, err := m.a.InviteClient(ctx, c.Reference, "ru", 0)
	if err != nil {
		m.t.Fatal(err)
	}
	return matrixCase{ref: c.Reference, id: c.ID, evidence: it.ID, assessment: st.ID, invitation: inv.ID}
}

// check makes one call and compares its answer with the table.
func (m *matrix) check(row web.RouteRow, fx fixture, w who, own bool) {
	m.t.Helper()
	c := m.cases[own]
	m.session, m.csrf = "", ""
	if w.role != "" && !web.IsAPI(row.Pattern) {
		m.session, m.csrf = m.newSession(w) // fresh: a call may end it
	}
	params, ctype, body := fx(m, w, c)
	path := row.Pattern
	for k, v := range params {
		path = strings.ReplaceAll(path, "{"+k+"}", url.PathEscape(v))
	}
	path = strings.TrimSuffix(path, "{$}")
	req, err := http.NewRequest(row.Method, m.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		m.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	m.authorize(req, row, w)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		m.t.Fatal(err)
	}
	answer, _ := io.ReadAll(io.LimitReader(res.Body, 2048))
	res.Body.Close()
	got := allowedAnswer(row.Method, res)
	want := row.Public || w.role != "" && row.Allows(w.role) && (!row.PerCase || own && w.member)
	if row.Public {
		if res.StatusCode >= 500 {
			m.t.Errorf("%s %s as %s: status %d", row.Method, path, w.name, res.StatusCode)
		}
		return
	}
	if got != want {
		m.t.Errorf("%s %s as %s (own case %v): status %d, allowed %v, want %v: %.300q",
			row.Method, row.Pattern, w.name, own, res.StatusCode, got, want, answer)
	}
}

// allowedAnswer reads an answer as "let in": anything but 401, 403, 404
// and, for a page, the redirect to the sign-in page that stands for 401.
func allowedAnswer(method string, res *http.Response) bool {
	switch res.StatusCode {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
		return false
	}
	return !(method == http.MethodGet && res.StatusCode == http.StatusSeeOther && res.Header.Get("Location") == "/login")
}

// authorize gives the request the caller's credentials: an API token, or
// the call's browser session and its CSRF token.
func (m *matrix) authorize(req *http.Request, row web.RouteRow, w who) {
	switch {
	case w.role == "":
	case web.IsAPI(row.Pattern):
		req.Header.Set("Authorization", "Bearer "+m.tokens[w.email])
	default:
		req.AddCookie(&http.Cookie{Name: "sanctuary", Value: m.session})
		req.Header.Set("X-CSRF-Token", m.csrf)
	}
}

// newSession opens a full session for the caller directly in the store.
func (m *matrix) newSession(w who) (string, string) {
	token, hash := account.NewToken(account.PrefixSession)
	csrf := hex.EncodeToString([]byte(token[5:21]))
	s := store.Session{TokenHash: hash, Stage: store.StageFull, CSRFToken: csrf, ExpiresAt: time.Now().Add(time.Hour)}
	if w.role == sanctuary.RoleClient {
		s.InvitationID = m.cases[true].invitation
	} else {
		s.UserID = m.users[w.email].ID
	}
	ctx := context.Background()
	if err := m.db.Update(ctx, func(tx *store.Tx) error { return tx.InsertSession(ctx, &s) }); err != nil {
		m.t.Fatal(err)
	}
	return token, csrf
}

func (m *matrix) freshTokenID(w who, c matrixCase) (map[string]string, string, []byte) {
	return map[string]string{"id": fmt.Sprint(m.freshToken(w))}, "", nil
}

func (m *matrix) freshTokenForm(w who, c matrixCase) (map[string]string, string, []byte) {
	return nil, "application/x-www-form-urlencoded", []byte(url.Values{"id": {fmt.Sprint(m.freshToken(w))}}.Encode())
}

// freshToken makes a token of the caller to revoke (or, for callers
// without an account, of the caseworker, which they must not revoke).
func (m *matrix) freshToken(w who) int64 {
	email := w.email
	if email == "" {
		email = "lena@ngo.example"
	}
	tok, _, err := m.a.CreateAPIToken(m.as(email), app.NewAPIToken{Name: "to revoke", Scopes: app.ScopesFor(m.users[email].Role)})
	if err != nil {
		m.t.Fatal(err)
	}
	return tok.ID
}

// teamOf is a member of the case's team, to prepare a call on it.
func (m *matrix) teamOf(c matrixCase) context.Context {
	if c.ref == m.cases[false].ref {
		return m.as("jana@ngo.example")
	}
	return m.as("lena@ngo.example")
}

// factToClear records a fact for the call to clear.
func (m *matrix) factToClear(w who, c matrixCase) (map[string]string, string, []byte) {
	_, err := m.a.SetFact(m.teamOf(c), c.ref, casefile.FactInput{Name: "departure_date", State: casefile.StateUnknown,
		Source: casefile.SourceStatement})
	if err != nil {
		m.t.Fatal(err)
	}
	return map[string]string{"ref": c.ref, "name": "departure_date"}, "", nil
}

func (m *matrix) freshInvitation(w who, c matrixCase) (map[string]string, string, []byte) {
	inv, _, err := m.a.InviteClient(m.teamOf(c), c.ref, "ru", 0)
	if err != nil {
		m.t.Fatal(err)
	}
	return map[string]string{"ref": c.ref, "id": fmt.Sprint(inv.ID)}, "", nil
}

func (m *matrix) assessmentID(w who, c matrixCase) (map[string]string, string, []byte) {
	return map[string]string{"ref": c.ref, "id": fmt.Sprint(c.assessment)}, "", nil
}

func (m *matrix) factPut(w who, c matrixCase) (map[string]string, string, []byte) {
	return map[string]string{"ref": c.ref, "name": "has_summons"}, "application/json", []byte(`{"value":true,"source":"document"}`)
}

func (m *matrix) evidencePatch(w who, c matrixCase) (map[string]string, string, []byte) {
	return map[string]string{"ref": c.ref, "id": fmt.Sprint(c.evidence)}, "application/json",
		[]byte(`{"title":"Summons, described again (fictional)","kind":"summons"}`)
}

func (m *matrix) exportBody(w who, c matrixCase) (map[string]string, string, []byte) {
	return map[string]string{"ref": c.ref}, "application/json", []byte(fmt.Sprintf(`{"items":[%d]}`, c.evidence))
}

// breakGlass asks for a grant on a case made for the call, so that no
// grant changes what the admin may do in the rest of the matrix.
func (m *matrix) breakGlass(w who, c matrixCase) (map[string]string, string, []byte) {
	fresh, err := m.a.CreateCase(m.as("lena@ngo.example"), app.NewCase{Person: matrixPerson(), Destinations: []string{"DE"}})
	if err != nil {
		m.t.Fatal(err)
	}
	return map[string]string{"ref": fresh.Reference}, "application/json", []byte(`{"reason":"the matrix test checks who may break the glass"}`)
}

func (m *matrix) apiUpload(w who, c matrixCase) (map[string]string, string, []byte) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	part, _ := mw.CreateFormField("meta")
	io.WriteString(part, `{"title":"Scan (fictional)","kind":"other"}`)
	file, _ := mw.CreateFormFile("file", "scan.txt")
	file.Write([]byte("fictional scan"))
	mw.Close()
	return map[string]string{"ref": c.ref}, mw.FormDataContentType(), buf.Bytes()
}

func (m *matrix) clientUpload(w who, c matrixCase) (map[string]string, string, []byte) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	part, _ := mw.CreateFormField("title")
	io.WriteString(part, "My summons (fictional)")
	file, _ := mw.CreateFormFile("file", "photo.jpg")
	file.Write(tinyJPEG())
	mw.Close()
	return nil, mw.FormDataContentType(), buf.Bytes()
}

// passkeyAnswer runs the registration ceremony up to the browser's answer
// in the call's session; for a caller who is not staff there is nothing to
// answer and the body is empty.
func (m *matrix) passkeyAnswer(w who, c matrixCase) (map[string]string, string, []byte) {
	body := []byte(`{"name":"matrix key","credential":{}}`)
	if w.email != "" {
		body, _ = json.Marshal(map[string]any{"name": "matrix key", "credential": json.RawMessage(m.passkeyResponse(w))})
	}
	return nil, "application/json", body
}

func (m *matrix) passkeyResponse(w who) []byte {
	opts, err := m.a.BeginPasskeyRegistration(m.as(w.email), m.session)
	if err != nil {
		m.t.Fatal(err)
	}
	resp, err := webauthntest.New().Create(matrixOrigin, opts) // a new key each time
	if err != nil {
		m.t.Fatal(err)
	}
	return resp
}

// passkeyToRemove registers a passkey of the caller to remove.
func (m *matrix) passkeyToRemove(w who, c matrixCase) (map[string]string, string, []byte) {
	id := "00"
	if w.email != "" {
		pk, err := m.a.FinishPasskeyRegistration(m.as(w.email), m.session, "to remove", m.passkeyResponse(w))
		if err != nil {
			m.t.Fatal(err)
		}
		id = hex.EncodeToString(pk.ID)
	}
	return nil, "application/x-www-form-urlencoded", []byte(url.Values{"id": {id}}.Encode())
}

func matrixPerson() casefile.Person {
	return casefile.Person{Identity: casefile.Identity{NameLatin: casefile.Name{Family: "Sokolov", Given: "Artyom"}},
		Citizenships: []string{"RU"}, Languages: []string{"ru"}}
}

// tinyJPEG is a 2×2 JPEG image.
func tinyJPEG() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, nil)
	return buf.Bytes()
}

// pageUpload is the case page's upload form: description fields, then
// the file.
func (m *matrix) pageUpload(w who, c matrixCase) (map[string]string, string, []byte) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range map[string]string{"title": "Summons (fictional)", "kind": "summons"} {
		part, _ := mw.CreateFormField(k)
		io.WriteString(part, v)
	}
	file, _ := mw.CreateFormFile("file", "summons.jpg")
	file.Write(tinyJPEG())
	mw.Close()
	return map[string]string{"ref": c.ref}, mw.FormDataContentType(), buf.Bytes()
}

// freshDeadline sets a deadline on the case for the call to mark done.
func (m *matrix) freshDeadline(w who, c matrixCase) (map[string]string, string, []byte) {
	d, err := m.a.AddDeadline(m.teamOf(c), c.ref, casefile.Date{Year: 2026, Month: 12, Day: 24}, "Hand in the translation")
	if err != nil {
		m.t.Fatal(err)
	}
	return map[string]string{"ref": c.ref, "id": fmt.Sprint(d.ID)}, "application/x-www-form-urlencoded", nil
}
