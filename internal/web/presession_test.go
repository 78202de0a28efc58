package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
	"github.com/sanctuary-platform/sanctuary/internal/web"
)

// TestPreSignIn_CSRF: the forms shown before a sign-in (sign-in, second
// factor, passkey, enrolment, account setup, a client's invitation) carry
// a real CSRF token: the page sets a random pre-session cookie and puts
// the same value in the form; a post without the field, with a wrong one
// or without the cookie is refused with 403 and a page that says what to
// do, before anything is checked; with the token it goes through.
func TestPreSignIn_CSRF(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := newStaffSite(t, db)
		operator := sanctuary.WithPrincipal(context.Background(), sanctuary.Principal{Role: sanctuary.RoleOperator, Via: "test"})
		_, setup, err := s.a.AddUser(operator, app.NewUser{Email: "vera@ngo.example", Role: sanctuary.RoleLawyer})
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.a.CreateCase(s.as(lena), app.NewCase{Person: matrixPerson(), Destinations: []string{"DE"}, Assignees: []string{lena}})
		if err != nil {
			t.Fatal(err)
		}
		_, invite, err := s.a.InviteClient(s.as(lena), c.Reference, "ru", 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, rt := range []struct {
			page, post, ctype, body string
			// ok is the status with the token: the request went through
			// to its handler.
			ok int
		}{
			{"/login", "/login", "form", "email=nobody%40ngo.example&password=wrong+password+here", 401},
			{"/login", "/login/totp", "form", "code=123456", 303},          // no pending sign-in: back to /login
			{"/login", "/login/recovery", "form", "code=AAAAA-AAAAA", 303}, // the same
			// The test site's public URL is an IP address, which passkeys
			// cannot take: the handler says so.
			{"/login", "/login/passkey/begin", "json", "{}", 503},
			{"/login", "/login/passkey/finish", "json", `{"credential":{}}`, 503},
			{"/login", "/login/enroll", "form", "secret=X&code=123456", 303},
			{"/setup/" + setup, "/setup/" + setup, "form", "secret=X&password=a&password2=b&code=1", 400},
			{"/invite/" + invite, "/invite/" + invite, "form", "", 303},
		} {
			b := newBrowser(t, s.base)
			p := b.get(rt.page)
			ck := b.cookie("sanctuary-csrf")
			if ck == nil || len(ck.Value) < 32 {
				t.Fatalf("%s sets no pre-session CSRF cookie: %q", rt.page, p.header.Values("Set-Cookie"))
			}
			if got := field(t, p.body, "csrf"); got != ck.Value {
				t.Errorf("%s: the form's csrf field %q is not the cookie's value", rt.page, got)
			}
			send := func(token string, header bool) page {
				body, ctype := rt.body, "application/x-www-form-urlencoded"
				if rt.ctype == "json" {
					ctype = "application/json"
				} else if header {
					body += "&csrf=" + url.QueryEscape(token)
				}
				req, _ := http.NewRequest("POST", s.base+rt.post, strings.NewReader(body))
				req.Header.Set("Content-Type", ctype)
				if rt.ctype == "json" && header {
					req.Header.Set("X-CSRF-Token", token)
				}
				return b.do(req)
			}
			for name, res := range map[string]page{"no token": send("", false), "an empty token": send("", true),
				"a wrong token": send(strings.Repeat("ab", 32), true)} {
				if res.status != http.StatusForbidden || !strings.Contains(res.body, "reload the page") {
					t.Errorf("POST %s with %s: %d, want 403 and a page that says what to do: %.300q", rt.post, name, res.status, res.body)
				}
			}
			if res := send(ck.Value, true); res.status != rt.ok {
				t.Errorf("POST %s with the token: %d, want %d: %.300q", rt.post, res.status, rt.ok, res.body)
			}
			stranger := newBrowser(t, s.base) // a page of another browser: its token, not its cookie
			stranger.c.Jar.SetCookies(mustURL(s.base), []*http.Cookie{{Name: "sanctuary-csrf", Value: strings.Repeat("cd", 32), Path: "/"}})
			b = stranger
			if res := send(ck.Value, true); res.status != http.StatusForbidden {
				t.Errorf("POST %s with a token that is not the cookie's: %d, want 403", rt.post, res.status)
			}
		}
	})
}

// TestPreSignIn_CookieAttributes: the pre-session cookie is HttpOnly,
// SameSite=Strict, for the whole site and for the browser's session only;
// over HTTPS it is Secure and __Host- prefixed, so no other host can plant
// one.
func TestPreSignIn_CookieAttributes(t *testing.T) {
	db := storetest.OpenSQLite(t)
	_, base := newSite(t, db)
	sc := preCookie(t, newBrowser(t, base).get("/login"), "sanctuary-csrf=")
	for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/"} {
		if !strings.Contains(sc, want) {
			t.Errorf("the pre-session cookie %q lacks %s", sc, want)
		}
	}
	if strings.Contains(sc, "Max-Age") || strings.Contains(sc, "Expires") || strings.Contains(sc, "Domain") {
		t.Errorf("the pre-session cookie %q outlives the session or leaves the host", sc)
	}
	srv := secureServer(t, db)
	res, err := srv.Client().Get(srv.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	sc = preCookie(t, page{header: res.Header}, "__Host-sanctuary-csrf=")
	if !strings.Contains(sc, "Secure") {
		t.Errorf("over HTTPS the pre-session cookie is not Secure: %q", sc)
	}
}

func preCookie(t *testing.T, p page, prefix string) string {
	t.Helper()
	for _, sc := range p.header.Values("Set-Cookie") {
		if strings.HasPrefix(sc, prefix) {
			return sc
		}
	}
	t.Fatalf("no cookie %s in %q", prefix, p.header.Values("Set-Cookie"))
	return ""
}

// secureServer serves the site over TLS with Options.Secure.
func secureServer(t *testing.T, db *store.DB) *httptest.Server {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewTLSServer(web.NewHandler(app.New(db, mustPack(t), log), log, web.Options{Secure: true}))
	t.Cleanup(srv.Close)
	return srv
}
