package web_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
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
)

// staffSite serves the pages with evidence configured; it hands out
// signed-in browsers.
type staffSite struct {
	tb   testing.TB
	db   *store.DB
	a    *app.App
	base string
}

func newStaffSite(t *testing.T, db *store.DB) *staffSite {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := app.New(db, mustPack(t), log, app.WithEvidence(testEvidence(t)))
	srv := httptest.NewServer(web.NewHandler(a, log, web.Options{}))
	t.Cleanup(srv.Close)
	a.SetPublicURL(srv.URL)
	staffToken(t, db, a, lena, sanctuary.RoleCaseworker)
	return &staffSite{tb: t, db: db, a: a, base: srv.URL}
}

// signedIn is a browser with a full session of the staff member (the
// sign-in pages themselves are tested in browser_test.go) and its CSRF
// token.
func (s *staffSite) signedIn(email string) (*browser, string) {
	t := s.tb.(*testing.T)
	t.Helper()
	token, csrf := s.session(email)
	b := newBrowser(t, s.base)
	b.c.Jar.SetCookies(mustURL(s.base), []*http.Cookie{{Name: "sanctuary", Value: token, Path: "/"}})
	return b, csrf
}

// session opens a full session of the staff member directly in the store
// and returns its token and CSRF token.
func (s *staffSite) session(email string) (token, csrf string) {
	s.tb.Helper()
	ctx := context.Background()
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByEmail(ctx, email)
		if err != nil {
			return err
		}
		var hash string
		token, hash = account.NewToken(account.PrefixSession)
		csrf = hex.EncodeToString([]byte(token[5:21]))
		sess := store.Session{TokenHash: hash, UserID: u.ID, Stage: store.StageFull, CSRFToken: csrf, ExpiresAt: time.Now().Add(time.Hour)}
		return tx.InsertSession(ctx, &sess)
	})
	if err != nil {
		s.tb.Fatal(err)
	}
	return token, csrf
}

func (b *browser) upload(path string, fields map[string]string, name string, content []byte) page {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, k := range []string{"title", "kind", "obtained_from", "document_date"} {
		if v, ok := fields[k]; ok {
			part, _ := mw.CreateFormField(k)
			io.WriteString(part, v)
		}
	}
	f, _ := mw.CreateFormFile("file", name)
	f.Write(content)
	mw.Close()
	req, _ := http.NewRequest("POST", b.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

func mustContain(t *testing.T, what string, p page, status int, parts ...string) {
	t.Helper()
	if p.status != status {
		t.Fatalf("%s: status %d, want %d\n%.2000s", what, p.status, status, p.body)
	}
	for _, s := range parts {
		if !strings.Contains(p.body, s) {
			t.Errorf("%s: the page lacks %q", what, s)
		}
	}
}

var refInLocation = regexp.MustCompile(`^/cases/(SN-\d{4}-\d+)$`)

// TestStaffPages_CaseFlow opens a case through the form and works on it
// through the case page: a fact edited in place, the assessment as of a
// date and compared with another, a note, a status change, an upload and
// its download with a range, the evidence page with its custody history;
// then finds it in the list, on the dashboard, and checks the knowledge
// browser.
func TestStaffPages_CaseFlow(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := newStaffSite(t, db)
		b, csrf := s.signedIn(lena)
		mustContain(t, "new case form", b.get("/cases/new"), 200, `name="family_cyrillic"`)
		res := b.post("/cases", url.Values{"csrf": {csrf}, "family_cyrillic": {"Орлов"}, "given_cyrillic": {"Тимур"},
			"family_latin": {"Orlov"}, "given_latin": {"Timur"}, "birth_date": {"1996-03-02"}, "citizenships": {"RU"},
			"languages": {"ru"}, "destinations": {"DE", "FR"}, "assignees": {lena}})
		m := refInLocation.FindStringSubmatch(res.header.Get("Location"))
		if res.status != 303 || m == nil {
			t.Fatalf("create: %d %q\n%.1500s", res.status, res.header.Get("Location"), res.body)
		}
		ref := m[1]
		bad := b.post("/cases", url.Values{"csrf": {csrf}, "family_cyrillic": {"Orlov"}, "birth_date": {"2999-01-01"}})
		mustContain(t, "refused case", bad, 400, "birth_date", `value="Orlov"`)

		mustContain(t, "case page", b.get("/cases/"+ref+"?lang=en"), 200, "Orlov Timur", "Germany", "France", "Timeline", "Case opened")

		edit := b.get("/cases/" + ref + "/edit")
		mustContain(t, "edit form", edit, 200, `value="Orlov"`, `value="1996-03-02"`, `value="NL"`)
		version := field(t, edit.body, "version")
		change := url.Values{"csrf": {csrf}, "version": {version}, "family_cyrillic": {"Орлов"}, "given_cyrillic": {"Тимур"}, "patronymic_cyrillic": {""},
			"family_latin": {"Orlov"}, "given_latin": {"Timur"}, "birth_date": {"1996-03-02"}, "citizenships": {"RU"},
			"languages": {"ru"}, "destinations": {"DE", "FR", "NL"}, "assignees": {lena}}
		if res := b.post("/cases/"+ref+"/edit", change); res.status != 303 {
			t.Fatalf("edit: %d %.800s", res.status, res.body)
		}
		mustContain(t, "stale edit", b.post("/cases/"+ref+"/edit", change), 409, "version")
		mustContain(t, "edited", b.get("/cases/"+ref+"?lang=en"), 200, "DE, FR, NL", "Netherlands")
		res = b.post("/cases/"+ref+"/facts", url.Values{"csrf": {csrf}, "name": {"has_summons"}, "f_has_summons": {"yes"}, "source": {"statement"}})
		if res.status != 303 {
			t.Fatalf("fact: %d %.500s", res.status, res.body)
		}
		p := b.get("/cases/" + ref + "?lang=en")
		mustContain(t, "fact shown", p, 200, "1 question answered", "the person&#39;s statement")
		mustContain(t, "empty fact", b.post("/cases/"+ref+"/facts", url.Values{"csrf": {csrf}, "name": {"has_summons"}, "source": {"statement"}}), 400, "has_summons")

		mustContain(t, "bad as-of", b.get("/cases/"+ref+"?as_of=2026-13-01&lang=en"), 400, "as_of")
		mustContain(t, "compare", b.get("/cases/"+ref+"?as_of=2026-11-01&compare_with=2021-01-01&lang=en"), 200,
			"What changed from 2021-01-01 to 2026-11-01")

		for path, form := range map[string]url.Values{
			"/notes":       {"body": {"Called back; will send the summons photo."}},
			"/transitions": {"to": {"assessment"}, "reason": {"intake done"}},
			"/assessments": {"as_of": {"2026-11-01"}},
		} {
			form.Set("csrf", csrf)
			if res := b.post("/cases/"+ref+path, form); res.status != 303 {
				t.Fatalf("%s: %d %.800s", path, res.status, res.body)
			}
		}
		mustContain(t, "after edits", b.get("/cases/"+ref+"?lang=en"), 200, "Called back; will send", "Assessment kept", "Status changed")

		due := time.Now().UTC().AddDate(0, 0, 10).Format("2006-01-02")
		past := time.Now().UTC().AddDate(0, 0, -2).Format("2006-01-02")
		for _, d := range [][2]string{{due, "Appeal against the refusal"}, {past, "Send the translation"}} {
			if res := b.post("/cases/"+ref+"/deadlines", url.Values{"csrf": {csrf}, "due": {d[0]}, "label": {d[1]}}); res.status != 303 {
				t.Fatalf("deadline: %d %.500s", res.status, res.body)
			}
		}
		mustContain(t, "bad deadline", b.post("/cases/"+ref+"/deadlines", url.Values{"csrf": {csrf}, "due": {due}}), 400, "label")
		mustContain(t, "dashboard deadlines", b.get("/dashboard?lang=en"), 200, "Appeal against the refusal", "Send the translation", "overdue")
		ds, err := s.a.Deadlines(s.as(lena), ref)
		if err != nil || len(ds) != 2 {
			t.Fatalf("deadlines: %v %v", ds, err)
		}
		if res := b.post(fmt.Sprintf("/cases/%s/deadlines/%d/done", ref, ds[0].ID), url.Values{"csrf": {csrf}}); res.status != 303 {
			t.Fatalf("done: %d", res.status)
		}
		mustContain(t, "done twice", b.post(fmt.Sprintf("/cases/%s/deadlines/%d/done", ref, ds[0].ID), url.Values{"csrf": {csrf}}), 409, "done already")
		if p := b.get("/dashboard?lang=en"); strings.Contains(p.body, "Send the translation") {
			t.Error("a deadline marked done is still on the dashboard")
		}
		mustContain(t, "timeline of deadlines", b.get("/cases/"+ref+"?lang=en"), 200, "Deadline set", "Deadline done")

		doc := []byte("%PDF-1.4 fictional summons for a test")
		up := b.upload("/cases/"+ref+"/evidence?csrf="+csrf, map[string]string{"title": "Summons (fictional)", "kind": "summons"}, "summons.pdf", doc)
		if up.status != 303 || !strings.Contains(up.header.Get("Location"), "/cases/"+ref+"/evidence/") {
			t.Fatalf("upload: %d %q %.800s", up.status, up.header.Get("Location"), up.body)
		}
		item := up.header.Get("Location")
		mustContain(t, "evidence page", b.get(item+"?lang=en"), 200, "Summons (fictional)", "Custody history", "Show preview")
		mustContain(t, "evidence page with its preview", b.get(item+"?preview=1&lang=en"), 200, "<iframe")
		req, _ := http.NewRequest("GET", s.base+item+"/content", nil)
		req.Header.Set("Range", "bytes=0-7")
		part := b.do(req)
		if part.status != 206 || part.body != "%PDF-1.4" {
			t.Errorf("range read: %d %q", part.status, part.body)
		}
		tab := b.get(item + "/content?inline=1") // "open in a new tab": by way of a playback of its own
		inline := b.get(tab.header.Get("Location"))
		if inline.body != string(doc) || !strings.Contains(inline.header.Get("Content-Security-Policy"), "frame-ancestors 'self'") {
			t.Errorf("inline: %q %q", inline.body, inline.header.Get("Content-Security-Policy"))
		}
		mustContain(t, "upload without file", b.upload("/cases/"+ref+"/evidence?csrf="+csrf, map[string]string{"title": "x"}, "", nil), 400, "file")

		mustContain(t, "list by status", b.get("/cases?status=assessment&lang=en"), 200, ref)
		if p := b.get("/cases?destination=ES"); strings.Contains(p.body, ref) {
			t.Error("a filter on ES lists a case bound for DE, FR and NL")
		}
		mustContain(t, "name search", b.post("/cases/search", url.Values{"csrf": {csrf}, "name": {"орлов тимур"}}), 200, ref)
		mustContain(t, "bad filter", b.get("/cases?destination=Germany"), 400, "destination")
		mustContain(t, "dashboard", b.get("/dashboard?lang=en"), 200, ref, "My open cases")
		mustContain(t, "knowledge", b.get("/knowledge?jurisdiction=DE&lang=de"), 200, "Quellen", "Regeln")
	})
}

var inviteLink = regexp.MustCompile(`value="https?://[^/"]+(/invite/[^"]+)"`)

// TestInterview_ClientAndStaff runs the intake interview: a team member
// asks during a consultation (one question per screen, skip for now, an
// empty answer refused), then the client, through an invitation in
// Russian, answers, says "I don't know", reviews and sends the answers,
// which the team sees on the timeline. The client's session reaches no
// staff page.
func TestInterview_ClientAndStaff(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := newStaffSite(t, db)
		b, csrf := s.signedIn(lena)
		c, err := s.a.CreateCase(s.as(lena), app.NewCase{Person: matrixPerson(), Destinations: []string{"DE"}, Assignees: []string{lena}})
		if err != nil {
			t.Fatal(err)
		}
		ref := c.Reference
		first := b.get("/cases/" + ref + "/interview?lang=en")
		mustContain(t, "first question", first, 200, "0 of about", "I don&#39;t know", "Skip for now")
		name := field(t, first.body, "name")
		later := b.post("/cases/"+ref+"/interview", url.Values{"csrf": {csrf}, "name": {name}, "later": {"1"}})
		if later.status != 303 || !strings.Contains(later.header.Get("Location"), "skip="+name) {
			t.Fatalf("skip: %d %q", later.status, later.header.Get("Location"))
		}
		second := b.get(later.header.Get("Location") + "&lang=en")
		if field(t, second.body, "name") == name {
			t.Fatalf("the skipped question %s came again", name)
		}
		mustContain(t, "empty answer", b.post("/cases/"+ref+"/interview", url.Values{"csrf": {csrf}, "name": {name}}), 400, name)
		res := b.post("/cases/"+ref+"/interview", url.Values{"csrf": {csrf}, "name": {name}, "unknown_" + name: {"1"}})
		if res.status != 303 {
			t.Fatalf("unknown: %d %.500s", res.status, res.body)
		}
		if next := b.get("/cases/" + ref + "/interview"); field(t, next.body, "name") == name {
			t.Errorf("%s answered \"unknown\" is asked again", name)
		}

		inv := b.post("/cases/"+ref+"/invitations", url.Values{"csrf": {csrf}, "language": {"ru"}})
		m := inviteLink.FindStringSubmatch(inv.body)
		if inv.status != 201 || m == nil {
			t.Fatalf("invitation: %d %.800s", inv.status, inv.body)
		}
		cl := newBrowser(t, s.base)
		cl.get(m[1])
		if res := cl.post(m[1], nil); res.status != 303 || res.header.Get("Location") != "/client" {
			t.Fatalf("open invitation: %d %q", res.status, res.header.Get("Location"))
		}
		ccsrf := field(t, cl.get("/client").body, "csrf")
		q := cl.get("/client/interview?lang=ru")
		mustContain(t, "client question", q, 200, "Не знаю", "Пропустить пока")
		qname := field(t, q.body, "name")
		if qname == name {
			t.Errorf("the client is asked %s, which the caseworker recorded", name)
		}
		if res := cl.post("/client/interview", url.Values{"csrf": {ccsrf}, "name": {qname}, "unknown_" + qname: {"1"}}); res.status != 303 {
			t.Fatalf("client answer: %d %.500s", res.status, res.body)
		}
		mustContain(t, "review", cl.get("/client/questions?lang=ru"), 200, "Ваши ответы", `name="unknown_`+qname+`" value="1" checked`)
		if res := cl.post("/client/submit", url.Values{"csrf": {ccsrf}}); res.status != 303 {
			t.Fatalf("submit: %d %.500s", res.status, res.body)
		}
		mustContain(t, "team sees it", b.get("/cases/"+ref+"?lang=en"), 200, "Client sent their answers")
		for _, path := range []string{"/cases/" + ref, "/cases/" + ref + "/interview", "/dashboard", "/knowledge"} {
			if p := cl.get(path); p.status != 403 {
				t.Errorf("client on %s: %d", path, p.status)
			}
		}
		if p := cl.post("/cases/"+ref+"/facts", url.Values{"csrf": {ccsrf}, "name": {"has_summons"}, "f_has_summons": {"yes"}, "source": {"caseworker"}}); p.status != 403 {
			t.Errorf("client posting a staff form: %d", p.status)
		}
	})
}

func (s *staffSite) as(email string) context.Context {
	var u account.User
	s.db.View(context.Background(), func(tx *store.Tx) (err error) { u, err = tx.UserByEmail(context.Background(), email); return err })
	return sanctuary.WithPrincipal(context.Background(), sanctuary.Principal{Role: u.Role, UserID: u.ID, Email: u.Email, Via: "test"})
}

// TestLanguage_ChosenSticks: a language chosen with ?lang= stays on the
// next pages (a cookie); without a choice, a signed-in person gets their
// own (a staff member's account language, a client's invitation's) before
// the browser's.
func TestLanguage_ChosenSticks(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := newStaffSite(t, db)
		b := newBrowser(t, s.base)
		mustContain(t, "chosen", b.get("/login?lang=de"), 200, `<html lang="de">`)
		mustContain(t, "next page", b.get("/login"), 200, `<html lang="de">`, "Anmelden")
		mustContain(t, "switched", b.get("/login?lang=ru"), 200, `<html lang="ru">`)
		mustContain(t, "switched, next page", b.get("/"), 200, `<html lang="ru">`)

		c, err := s.a.CreateCase(s.as(lena), app.NewCase{Person: matrixPerson(), Destinations: []string{"DE"}, Assignees: []string{lena}})
		if err != nil {
			t.Fatal(err)
		}
		_, token, err := s.a.InviteClient(s.as(lena), c.Reference, "ru", 0)
		if err != nil {
			t.Fatal(err)
		}
		cl := newBrowser(t, s.base)
		cl.get("/invite/" + token)
		cl.post("/invite/"+token, nil)
		req, _ := http.NewRequest("GET", s.base+"/client", nil)
		req.Header.Set("Accept-Language", "en-GB,en;q=0.9")
		mustContain(t, "client in the invitation's language", cl.do(req), 200, `<html lang="ru">`, "Ваше дело")
		staff, _ := s.signedIn(lena) // lena's account language is English
		req, _ = http.NewRequest("GET", s.base+"/dashboard", nil)
		req.Header.Set("Accept-Language", "de")
		mustContain(t, "staff in their account's language", staff.do(req), 200, `<html lang="en">`)
	})
}

// TestCasePage_EscapesClientData: what people typed — a fact's text, an
// item's title, the name of who recorded it — reaches the case page
// escaped, in the rows built in Go as in the template.
func TestCasePage_EscapesClientData(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := newStaffSite(t, db)
		b, _ := s.signedIn(lena)
		ctx := s.as(lena)
		c, err := s.a.CreateCase(ctx, app.NewCase{Person: matrixPerson(), Destinations: []string{"DE"}, Assignees: []string{lena}})
		if err != nil {
			t.Fatal(err)
		}
		evil := `<script>alert("x")</script><img src=x onerror=alert(1)>`
		raw, _ := json.Marshal(evil)
		if _, err := s.a.SetFact(ctx, c.Reference, casefile.FactInput{Name: "military_specialty", Value: raw, Source: casefile.SourceStatement}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.a.AddEvidence(ctx, c.Reference, evidence.Meta{Title: evil, Kind: evidence.KindOther, OriginalName: "a.txt"}, strings.NewReader("x")); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/cases/" + c.Reference, "/cases/" + c.Reference + "?edit=military_specialty"} {
			p := b.get(path)
			if p.status != 200 || strings.Contains(p.body, "<script>alert") || strings.Contains(p.body, "<img src=x") {
				t.Fatalf("%s: %d, client data unescaped", path, p.status)
			}
			if !strings.Contains(p.body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
				t.Errorf("%s: the escaped text is missing", path)
			}
		}
	})
}
