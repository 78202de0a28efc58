package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
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
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
	"github.com/sanctuary-platform/sanctuary/internal/web"
	"github.com/sanctuary-platform/sanctuary/internal/webauthntest"
)

// browser is a cookie-keeping HTTP client that does not follow redirects,
// so each step of a flow can be checked.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

type page struct {
	status int
	header http.Header
	body   string
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return page{res.StatusCode, res.Header, string(body)}
}

func (b *browser) get(path string) page {
	b.t.Helper()
	req, _ := http.NewRequest("GET", b.base+path, nil)
	return b.do(req)
}

// post sends a form. One without a csrf field gets the pre-session
// token of the browser's cookie, if it has one, as the pages' forms before
// a sign-in carry it (TestPreSignIn_CSRF checks that they do).
func (b *browser) post(path string, form url.Values, header ...string) page {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if c := b.cookie("sanctuary-csrf"); c != nil && !form.Has("csrf") {
		form.Set("csrf", c.Value)
	}
	req, _ := http.NewRequest("POST", b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return b.do(req)
}

func (b *browser) cookie(name string) *http.Cookie {
	u, _ := url.Parse(b.base)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func field(t *testing.T, body, name string) string {
	t.Helper()
	m := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no field %s in:\n%s", name, body)
	}
	return m[1]
}

// newSite serves the pages and the API over real HTTP, with the public URL
// set to the server's own (as localhost, for passkeys).
func newSite(t *testing.T, db *store.DB) (*app.App, string) {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := app.New(db, mustPack(t), log)
	srv := httptest.NewServer(web.NewHandler(a, log, web.Options{}))
	t.Cleanup(srv.Close)
	base := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	a.SetPublicURL(base)
	return a, base
}

const pw = "correct horse battery staple"

// TestBrowser_SetupSignInAndSession walks a new staff member through the
// pages over real HTTP: the setup link, a password and an authenticator
// app, sign-in with password and code, the account page and a token made
// there, CSRF and cross-origin refusals, and sign-out.
func TestBrowser_SetupSignInAndSession(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a, base := newSite(t, db)
		operator := sanctuary.WithPrincipal(context.Background(), sanctuary.Principal{Role: sanctuary.RoleOperator, Via: "test"})
		_, link, err := a.AddUser(operator, app.NewUser{Email: "vera@ngo.example", Role: sanctuary.RoleLawyer, Language: "de"})
		if err != nil {
			t.Fatal(err)
		}
		b := newBrowser(t, base)
		setup := b.get("/setup/" + link + "?lang=de")
		secret := field(t, setup.body, "secret")
		if setup.status != 200 || !strings.Contains(setup.body, "Konto einrichten") || !strings.Contains(setup.body, `src="data:image/png;base64,`) {
			t.Fatalf("setup page: %d\n%s", setup.status, setup.body)
		}
		code, _ := account.TOTPCode(secret, time.Now())
		bad := b.post("/setup/"+link, url.Values{"secret": {secret}, "password": {pw}, "password2": {pw + "!"}, "code": {code}})
		if bad.status != 400 || field(t, bad.body, "secret") != secret {
			t.Errorf("mismatched passwords: %d, the secret must stay the one scanned", bad.status)
		}
		done := b.post("/setup/"+link, url.Values{"secret": {secret}, "password": {pw}, "password2": {pw}, "code": {code}})
		if done.status != 200 || strings.Count(done.body, "<li><code>") != account.RecoveryCodes {
			t.Fatalf("setup: %d\n%s", done.status, done.body)
		}

		wrong := b.post("/login", url.Values{"email": {"vera@ngo.example"}, "password": {"not the password"}})
		if wrong.status != 401 || b.cookie("sanctuary") != nil {
			t.Errorf("wrong password: %d, cookie %v", wrong.status, b.cookie("sanctuary"))
		}
		login := b.post("/login", url.Values{"email": {"vera@ngo.example"}, "password": {pw}})
		pending := b.cookie("sanctuary")
		if login.status != 303 || login.header.Get("Location") != "/login/second-factor" || pending == nil {
			t.Fatalf("login: %d %v", login.status, login.header)
		}
		if sc := login.header.Get("Set-Cookie"); !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Strict") ||
			!strings.Contains(sc, "Path=/") || strings.Contains(sc, "Expires") {
			t.Errorf("session cookie %q", sc)
		}
		if p := b.get("/account"); p.status != 303 || p.header.Get("Location") != "/login" {
			t.Errorf("the account page before the second factor: %d", p.status)
		}
		if p := b.post("/login/totp", url.Values{"code": {"000000"}}); p.status != 401 {
			t.Errorf("a wrong code: %d", p.status)
		}
		db.Now = func() time.Time { return time.Now().Add(30 * time.Second) } // the setup used this step's code
		code, _ = account.TOTPCode(secret, db.Now())
		in := b.post("/login/totp", url.Values{"code": {code}})
		full := b.cookie("sanctuary")
		if in.status != 303 || full == nil || full.Value == pending.Value {
			t.Fatalf("second factor: %d; the session must get a new id (%v)", in.status, full)
		}
		acct := b.get("/account")
		if acct.status != 200 || !strings.Contains(acct.body, "vera@ngo.example") {
			t.Fatalf("account page: %d", acct.status)
		}
		csrf := field(t, acct.body, "csrf")
		form := url.Values{"name": {"import script"}, "scope": {app.ScopeCasesRead}, "days": {"7"}}
		if p := b.post("/account/tokens", form); p.status != 403 {
			t.Errorf("a form without its CSRF token: %d", p.status)
		}
		form.Set("csrf", csrf)
		if p := b.post("/account/tokens", form, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"); p.status != 403 {
			t.Errorf("a cross-site post: %d", p.status)
		}
		made := b.post("/account/tokens", form)
		token := regexp.MustCompile(`snt_[a-z2-7]{52}`).FindString(made.body)
		if made.status != 200 || token == "" {
			t.Fatalf("token page: %d", made.status)
		}
		req, _ := http.NewRequest("GET", base+"/api/v1/cases", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		if p := b.do(req); p.status != 200 {
			t.Errorf("the new token on the API: %d %s", p.status, p.body)
		}
		req, _ = http.NewRequest("GET", base+"/api/v1/cases", nil) // the cookie alone does not open the API
		if p := b.do(req); p.status != 401 {
			t.Errorf("the API with a session cookie: %d", p.status)
		}
		if p := b.post("/logout", url.Values{"csrf": {csrf}}); p.status != 303 {
			t.Errorf("logout: %d", p.status)
		}
		if p := b.get("/account"); p.status != 303 {
			t.Errorf("after logout: %d", p.status)
		}
		old := newBrowser(t, base)
		old.c.Jar.SetCookies(mustURL(base), []*http.Cookie{{Name: "sanctuary", Value: full.Value}})
		if p := old.get("/account"); p.status != 303 {
			t.Errorf("the old cookie after logout: %d", p.status)
		}
	})
}

func mustURL(s string) *url.URL { u, _ := url.Parse(s); return u }

// TestBrowser_PasskeySignIn signs in with a recovery code, adds a passkey
// through the account page's endpoints as passkey.js does, signs out, and
// signs in again with password and passkey.
func TestBrowser_PasskeySignIn(t *testing.T) {
	db := storetest.OpenSQLite(t)
	a, base := newSite(t, db)
	operator := sanctuary.WithPrincipal(context.Background(), sanctuary.Principal{Role: sanctuary.RoleOperator, Via: "test"})
	_, link, _ := a.AddUser(operator, app.NewUser{Email: "vera@ngo.example", Role: sanctuary.RoleLawyer})
	s, _ := a.BeginSetup(context.Background(), link)
	code, _ := account.TOTPCode(s.TOTP.Secret, time.Now())
	codes, err := a.CompleteSetup(context.Background(), link, pw, s.TOTP.Secret, code)
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, base)
	b.get("/login")
	b.post("/login", url.Values{"email": {"vera@ngo.example"}, "password": {pw}})
	if p := b.post("/login/recovery", url.Values{"code": {codes[0]}}); p.status != 303 {
		t.Fatalf("recovery code: %d %s", p.status, p.body)
	}
	csrf := field(t, b.get("/account").body, "csrf")
	opts := b.postJSON("/account/passkeys/begin", "", csrf)
	key := webauthntest.New()
	resp, err := key.Create(base, []byte(opts.body))
	if err != nil {
		t.Fatalf("create: %v (options %s)", err, opts.body)
	}
	if p := b.postJSON("/account/passkeys/finish", `{"name":"laptop","credential":`+string(resp)+`}`, csrf); p.status != 200 {
		t.Fatalf("finish registration: %d %s", p.status, p.body)
	}
	if !strings.Contains(b.get("/account").body, "laptop") {
		t.Error("the account page does not list the passkey")
	}
	b.post("/logout", url.Values{"csrf": {csrf}})

	b.post("/login", url.Values{"email": {"vera@ngo.example"}, "password": {pw}})
	second := b.get("/login/second-factor")
	if !strings.Contains(second.body, `data-begin="/login/passkey/begin"`) || !strings.Contains(second.body, `<script src="/static/passkey.js">`) {
		t.Fatalf("the second-factor page offers no passkey:\n%s", second.body)
	}
	pre := b.cookie("sanctuary-csrf").Value // the page's data-csrf, which passkey.js sends
	if !strings.Contains(second.body, `data-csrf="`+pre+`"`) {
		t.Errorf("the second-factor page does not give passkey.js the pre-session token")
	}
	if p := b.postJSON("/login/passkey/begin", "", ""); p.status != 403 {
		t.Errorf("a passkey ceremony begun without the pre-session token: %d", p.status)
	}
	opts = b.postJSON("/login/passkey/begin", "", pre)
	resp, err = key.Get(base, []byte(opts.body))
	if err != nil {
		t.Fatalf("get: %v (options %s)", err, opts.body)
	}
	if p := b.postJSON("/login/passkey/finish", `{"credential":`+string(resp)+`}`, pre); p.status != 200 || !strings.Contains(p.body, `"next":"/"`) {
		t.Fatalf("passkey sign-in: %d %s", p.status, p.body)
	}
	if p := b.get("/account"); p.status != 200 {
		t.Errorf("signed in with the passkey: %d", p.status)
	}
}

func (b *browser) postJSON(path, body, csrf string) page {
	b.t.Helper()
	req, _ := http.NewRequest("POST", b.base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if csrf != "" {
		req.Header.Set("X-CSRF-Token", csrf)
	}
	return b.do(req)
}

// TestBrowser_ClientInvitation follows a client's invitation link: the
// landing page, the session it opens, an upload, and nothing else.
func TestBrowser_ClientInvitation(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		c := newEvidenceClient(t, db) // the staff side, with the evidence vault
		cs := c.createCase()
		var inv struct{ Link string }
		c.ok(c.json("POST", "/api/v1/cases/"+cs.Reference+"/invitations", map[string]any{"language": "ru"}), http.StatusCreated, &inv)
		path := inv.Link[strings.Index(inv.Link, "/invite/"):]
		b := newBrowser(t, c.srv.URL)
		landing := b.get(path)
		if landing.status != 200 || !strings.Contains(landing.body, `action="`+path+`"`) || b.cookie("sanctuary") != nil {
			t.Fatalf("landing page: %d", landing.status)
		}
		open := b.post(path, nil)
		if open.status != 303 || open.header.Get("Location") != "/client" || b.cookie("sanctuary") == nil {
			t.Fatalf("opening the invitation: %d %v", open.status, open.header)
		}
		home := b.get("/client")
		if home.status != 200 || strings.Contains(home.body, "Sokolov") || strings.Contains(home.body, cs.Reference) {
			t.Fatalf("client page: %d (it must not show the case)", home.status)
		}
		action := regexp.MustCompile(`action="(/client/evidence\?csrf=[0-9a-f]+)"`).FindStringSubmatch(home.body)
		if action == nil {
			t.Fatalf("no upload form:\n%s", home.body)
		}
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		f, _ := mw.CreateFormField("title")
		io.WriteString(f, "Повестка (fictional)")
		f, _ = mw.CreateFormFile("file", "povestka.jpg")
		f.Write([]byte("fictional scan"))
		mw.Close()
		req, _ := http.NewRequest("POST", c.srv.URL+action[1], &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		if p := b.do(req); p.status != 303 || p.header.Get("Location") != "/client?sent=1" {
			t.Fatalf("upload: %d %s", p.status, p.body)
		}
		var list struct {
			Items []struct{ Title string } `json:"evidence"`
		}
		c.ok(c.json("GET", "/api/v1/cases/"+cs.Reference+"/evidence", nil), http.StatusOK, &list)
		if len(list.Items) != 1 || list.Items[0].Title != "Повестка (fictional)" {
			t.Errorf("the caseworker sees %+v", list.Items)
		}
		// A second link, opened in the same browser while signed in, works
		// too (its form carries the session's CSRF token).
		var inv2 struct{ Link string }
		c.ok(c.json("POST", "/api/v1/cases/"+cs.Reference+"/invitations", map[string]any{"language": "ru"}), http.StatusCreated, &inv2)
		path2 := inv2.Link[strings.Index(inv2.Link, "/invite/"):]
		land2 := b.get(path2)
		if p := b.post(path2, url.Values{"csrf": {field(t, land2.body, "csrf")}}); p.status != 303 {
			t.Errorf("a second invitation while signed in: %d %s", p.status, p.body)
		}
		qs := b.get("/client/questions?lang=ru")
		if qs.status != 200 || !strings.Contains(qs.body, "Не знаю") || !strings.Contains(qs.body, `name="f_has_summons"`) {
			t.Fatalf("questions page: %d", qs.status)
		}
		if strings.Contains(qs.body, `name="f_summons_form"`) {
			t.Error("the review shows the summons' form before anyone said there is a summons (asked_if)")
		}
		answers := url.Values{"csrf": {field(t, qs.body, "csrf")}, "f_has_summons": {"yes"}, "unknown_departure_date": {"1"},
			"f_summons_form": {"paper"}, "f_criminal_articles": {"art_328", "art_337"}, "f_left_russia": {"yes"}, "f_criminal_case": {"yes"}}
		if p := b.post("/client/questions", answers); p.status != 303 || p.header.Get("Location") != "/client/questions?saved=1" {
			t.Fatalf("answers: %d %s", p.status, p.body)
		}
		again := b.get("/client/questions")
		for _, want := range []string{`value="art_328" checked`, `value="art_337" checked`, `name="f_summons_form" value="paper" checked`,
			`name="unknown_departure_date" value="1" checked`, `name="f_has_summons" value="yes" checked`} {
			if !strings.Contains(again.body, want) {
				t.Errorf("the questions page does not show the answer back: %s", want)
			}
		}
		var facts struct{ Facts []casefile.Fact }
		c.ok(c.json("GET", "/api/v1/cases/"+cs.Reference+"/facts", nil), http.StatusOK, &facts)
		got := map[string]string{}
		for _, f := range facts.Facts {
			got[f.Name] = string(f.State) + " " + string(f.Source) + " " + f.RecordedBy
			if f.Value != nil {
				got[f.Name] += " " + f.Value.String()
			}
		}
		for name, want := range map[string]string{"has_summons": "known statement client:invitation-2 true",
			"departure_date": "unknown statement client:invitation-2", "summons_form": "known statement client:invitation-2 paper"} {
			if got[name] != want {
				t.Errorf("%s = %q, want %q", name, got[name], want)
			}
		}
		for _, p := range []string{"/account", "/api/v1/cases/" + cs.Reference} {
			if got := b.get(p); got.status != 403 && got.status != 401 {
				t.Errorf("the client reached %s: %d", p, got.status)
			}
		}
	})
}

// TestPages_NoInlineScriptAndHeaders renders the pages anyone can reach,
// in each language, and checks they carry no inline script or style (the
// policy forbids them) and the security headers.
func TestPages_NoInlineScriptAndHeaders(t *testing.T) {
	db := storetest.OpenSQLite(t)
	_, base := newSite(t, db)
	b := newBrowser(t, base)
	inline := regexp.MustCompile(`<script(\s[^>]*)?>[^<]|<script>|\sstyle=|\son[a-z]+=`)
	for _, path := range []string{"/", "/login", "/invite/sni_x", "/setup/snu_x"} {
		for _, lang := range []string{"ru", "en", "de"} {
			p := b.get(path + "?lang=" + lang)
			if m := inline.FindString(p.body); m != "" {
				t.Errorf("%s (%s) has inline code %q", path, lang, m)
			}
			if !strings.Contains(p.body, `<html lang="`+lang+`">`) {
				t.Errorf("%s is not in %s", path, lang)
			}
			csp := p.header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") || !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("%s: CSP %q", path, csp)
			}
			for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
				"X-Frame-Options": "DENY", "Cache-Control": "no-store", "Cross-Origin-Opener-Policy": "same-origin"} {
				if got := p.header.Get(h); got != want {
					t.Errorf("%s: %s = %q, want %q", path, h, got, want)
				}
			}
			if p.header.Get("Strict-Transport-Security") != "" {
				t.Errorf("%s: HSTS over plain HTTP", path)
			}
		}
	}
}

// TestCookies_SecureOverHTTPS serves over TLS with Options.Secure: the
// session cookie is __Host- prefixed and Secure, and HSTS is sent.
func TestCookies_SecureOverHTTPS(t *testing.T) {
	db := storetest.OpenSQLite(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := app.New(db, mustPack(t), log)
	srv := httptest.NewTLSServer(web.NewHandler(a, log, web.Options{Secure: true}))
	defer srv.Close()
	operator := sanctuary.WithPrincipal(context.Background(), sanctuary.Principal{Role: sanctuary.RoleOperator, Via: "test"})
	_, link, _ := a.AddUser(operator, app.NewUser{Email: "vera@ngo.example", Role: sanctuary.RoleLawyer})
	s, _ := a.BeginSetup(context.Background(), link)
	code, _ := account.TOTPCode(s.TOTP.Secret, time.Now())
	a.CompleteSetup(context.Background(), link, pw, s.TOTP.Secret, code)
	c := srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.Jar, _ = cookiejar.New(nil)
	res, err := c.Get(srv.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var pre string
	for _, ck := range c.Jar.Cookies(mustURL(srv.URL)) {
		if ck.Name == "__Host-sanctuary-csrf" {
			pre = ck.Value
		}
	}
	res, err = c.PostForm(srv.URL+"/login", url.Values{"email": {"vera@ngo.example"}, "password": {pw}, "csrf": {pre}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	sc := res.Header.Get("Set-Cookie")
	if !strings.HasPrefix(sc, "__Host-sanctuary=sns_") || !strings.Contains(sc, "Secure") || !strings.Contains(sc, "HttpOnly") ||
		!strings.Contains(sc, "SameSite=Strict") || strings.Contains(sc, "Domain") {
		t.Errorf("cookie over HTTPS: %q", sc)
	}
	if h := res.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(h, "max-age=") {
		t.Errorf("HSTS = %q", h)
	}
}
