package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
	"github.com/sanctuary-platform/sanctuary/internal/webauthntest"
)

// staffer is an account set up through its setup link, as its owner
// would: its TOTP secret and recovery codes.
type staffer struct {
	email, secret string
	codes         []string
}

func setUpStaffer(t *testing.T, a *app.App, email string, role sanctuary.Role) staffer {
	t.Helper()
	operator := sanctuary.WithPrincipal(context.Background(), sanctuary.Principal{Role: sanctuary.RoleOperator, Via: "test"})
	_, link, err := a.AddUser(operator, app.NewUser{Email: email, Role: role})
	if err != nil {
		t.Fatal(err)
	}
	s, err := a.BeginSetup(context.Background(), link)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := account.TOTPCode(s.TOTP.Secret, time.Now())
	codes, err := a.CompleteSetup(context.Background(), link, pw, s.TOTP.Secret, code)
	if err != nil {
		t.Fatal(err)
	}
	return staffer{email, s.TOTP.Secret, codes}
}

// signInTOTP signs in through the pages with password and a TOTP code
// (of the step after the setup's) and returns the answer to the code.
func (b *browser) signInTOTP(db *store.DB, s staffer) page {
	b.t.Helper()
	b.get("/login") // the sign-in form sets its pre-session CSRF cookie
	if p := b.post("/login", url.Values{"email": {s.email}, "password": {pw}}); p.status != 303 {
		b.t.Fatalf("password of %s: %d", s.email, p.status)
	}
	code, _ := account.TOTPCode(s.secret, db.Now())
	return b.post("/login/totp", url.Values{"code": {code}})
}

// addPasskey registers a new software passkey through the account page's
// endpoints, as passkey.js does.
func (b *browser) addPasskey(base string) *webauthntest.Authenticator {
	b.t.Helper()
	csrf := field(b.t, b.get("/account").body, "csrf")
	opts := b.postJSON("/account/passkeys/begin", "", csrf)
	key := webauthntest.New()
	resp, err := key.Create(base, []byte(opts.body))
	if err != nil {
		b.t.Fatalf("create: %v (options %s)", err, opts.body)
	}
	if p := b.postJSON("/account/passkeys/finish", `{"name":"laptop","credential":`+string(resp)+`}`, csrf); p.status != 200 {
		b.t.Fatalf("finish registration: %d %s", p.status, p.body)
	}
	return key
}

// signInPasskey signs in with password and passkey through the pages.
func (b *browser) signInPasskey(base, email string, key *webauthntest.Authenticator) page {
	b.t.Helper()
	b.get("/login")
	b.post("/login", url.Values{"email": {email}, "password": {pw}})
	pre := b.cookie("sanctuary-csrf").Value // the page's data-csrf, which passkey.js sends
	opts := b.postJSON("/login/passkey/begin", "", pre)
	resp, err := key.Get(base, []byte(opts.body))
	if err != nil {
		b.t.Fatalf("get: %v (options %s)", err, opts.body)
	}
	return b.postJSON("/login/passkey/finish", `{"credential":`+string(resp)+`}`, pre)
}

// TestBrowser_PasskeysRequiredForLawyers has an admin require passkeys of
// lawyers on the admin page. A lawyer with only an authenticator app is
// then refused at /login/totp and /login/recovery, with a message that
// says to use a passkey; a lawyer with a passkey signs in with it; a
// caseworker still signs in with the app; the change is in the audit
// trail. The lawyer without a passkey gets one through a passkey link
// from the operator, and signs in with it.
func TestBrowser_PasskeysRequiredForLawyers(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a, base := newSite(t, db)
		root := setUpStaffer(t, a, "root@ngo.example", sanctuary.RoleAdmin)
		vera := setUpStaffer(t, a, "vera@ngo.example", sanctuary.RoleLawyer)
		omar := setUpStaffer(t, a, "omar@ngo.example", sanctuary.RoleLawyer)
		lena := setUpStaffer(t, a, "lena@ngo.example", sanctuary.RoleCaseworker)
		db.Now = func() time.Time { return time.Now().Add(30 * time.Second) } // the setups used this step's code

		ob := newBrowser(t, base)
		if p := ob.signInTOTP(db, omar); p.status != 303 {
			t.Fatalf("Omar before the requirement: %d", p.status)
		}
		omarKey := ob.addPasskey(base)

		admin := newBrowser(t, base)
		if p := admin.signInTOTP(db, root); p.status != 303 {
			t.Fatalf("admin sign-in: %d", p.status)
		}
		page := admin.get("/admin/sign-in?lang=en")
		mustContain(t, "admin page", page, 200, `value="lawyer"`)
		csrf := field(t, page.body, "csrf")
		mustContain(t, "passkeys for admins, by an admin without one",
			admin.post("/admin/sign-in", url.Values{"csrf": {csrf}, "role": {"admin"}, "required": {"1"}}), 409, "add a passkey to your own account first")
		if p := admin.post("/admin/sign-in", url.Values{"csrf": {csrf}, "role": {"lawyer"}, "required": {"1"}}); p.status != 303 {
			t.Fatalf("require passkeys of lawyers: %d %.600s", p.status, p.body)
		}
		mustContain(t, "admin page after", admin.get("/admin/sign-in?lang=en"), 200, "vera@ngo.example", "sanctuary user passkey-link")

		vb := newBrowser(t, base)
		vb.get("/login")
		vb.post("/login", url.Values{"email": {vera.email}, "password": {pw}})
		second := vb.get("/login/second-factor?lang=en")
		mustContain(t, "second factor of a lawyer without a passkey", second, 200, "passkey link")
		if strings.Contains(second.body, `action="/login/totp"`) || strings.Contains(second.body, `action="/login/recovery"`) {
			t.Error("the second-factor page still offers codes to a lawyer")
		}
		code, _ := account.TOTPCode(vera.secret, db.Now())
		mustContain(t, "a lawyer's TOTP code", vb.post("/login/totp", url.Values{"code": {code}}), 403, "use your passkey")
		mustContain(t, "a lawyer's recovery code", vb.post("/login/recovery", url.Values{"code": {vera.codes[0]}}), 403, "use your passkey")
		if p := vb.get("/account"); p.status != 303 {
			t.Errorf("Vera after refused codes: %d", p.status)
		}
		if p := newBrowser(t, base).signInTOTP(db, omar); p.status != 403 {
			t.Errorf("Omar's TOTP code: %d", p.status)
		}
		ob = newBrowser(t, base)
		if p := ob.signInPasskey(base, omar.email, omarKey); p.status != 200 {
			t.Fatalf("Omar's passkey: %d %s", p.status, p.body)
		}
		if p := ob.get("/account"); p.status != 200 {
			t.Errorf("Omar signed in with the passkey: %d", p.status)
		}
		lb := newBrowser(t, base)
		if p := lb.signInTOTP(db, lena); p.status != 303 || lb.get("/account").status != 200 {
			t.Errorf("a caseworker's TOTP code: %d", p.status)
		}

		auditor := sanctuary.WithPrincipal(context.Background(), sanctuary.Principal{Role: sanctuary.RoleAuditor, Via: "test"})
		trail, err := a.Audit(auditor, app.AuditQuery{Action: string(app.ActUserManage)})
		if err != nil {
			t.Fatal(err)
		}
		var set, refused bool
		for _, e := range trail.Entries {
			set = set || e.Actor == root.email && e.Outcome == "allowed" && strings.Contains(e.Object, "passkeys required for lawyer")
			refused = refused || e.Actor == root.email && e.Outcome == "denied" && strings.Contains(e.Object, "passkeys required for admin")
		}
		if !set || !refused {
			t.Errorf("the audit trail lacks the change (%v) or the refusal (%v): %+v", set, refused, trail.Entries)
		}

		operator := sanctuary.WithPrincipal(context.Background(), sanctuary.Principal{Role: sanctuary.RoleOperator, Via: "cli"})
		link, err := a.IssuePasskeyLink(operator, vera.email)
		if err != nil {
			t.Fatal(err)
		}
		veraKey := enrolWithLink(t, vb, base, link)
		if p := vb.get("/account"); p.status != 200 {
			t.Errorf("Vera after registering her passkey: %d", p.status)
		}
		mustContain(t, "the link used twice", newBrowser(t, base).get("/passkey/"+link), 404)
		if p := newBrowser(t, base).signInPasskey(base, vera.email, veraKey); p.status != 200 {
			t.Errorf("Vera's passkey: %d %s", p.status, p.body)
		}

		// A lawyer who joins now: the setup page leads on to a passkey.
		_, setup, err := a.AddUser(operator, app.NewUser{Email: "nina@ngo.example", Role: sanctuary.RoleLawyer})
		if err != nil {
			t.Fatal(err)
		}
		nb := newBrowser(t, base)
		secret := field(t, nb.get("/setup/"+setup).body, "secret")
		code, _ = account.TOTPCode(secret, db.Now())
		done := nb.post("/setup/"+setup+"?lang=en", url.Values{"secret": {secret}, "password": {pw}, "password2": {pw}, "code": {code}})
		next := passkeyLinkPath.FindString(done.body)
		if done.status != 200 || next == "" {
			t.Fatalf("setup of a lawyer: %d, no passkey link in\n%s", done.status, done.body)
		}
		enrolWithLink(t, nb, base, strings.TrimPrefix(next, "/passkey/"))
		if p := nb.get("/account"); p.status != 200 {
			t.Errorf("Nina after her setup: %d", p.status)
		}
	})
}

var passkeyLinkPath = regexp.MustCompile(`/passkey/snk_[a-z2-7]+`)

// enrolWithLink opens a passkey link, gives the password, and registers a
// new software passkey on the page it leads to.
func enrolWithLink(t *testing.T, b *browser, base, link string) *webauthntest.Authenticator {
	t.Helper()
	page := b.get("/passkey/" + link + "?lang=en")
	mustContain(t, "passkey link page", page, 200, `type="password"`)
	if p := b.post("/passkey/"+link, url.Values{"password": {"not the password"}}); p.status != 401 {
		t.Errorf("a wrong password at the link: %d", p.status)
	}
	in := b.post("/passkey/"+link, url.Values{"password": {pw}})
	if in.status != 303 || in.header.Get("Location") != "/login/passkey-enroll" {
		t.Fatalf("password at the link: %d %v %.500s", in.status, in.header, in.body)
	}
	if p := b.get("/account"); p.status != 303 {
		t.Errorf("the enrolment session opens the account page: %d", p.status)
	}
	enrol := b.get("/login/passkey-enroll?lang=en")
	mustContain(t, "enrolment page", enrol, 200, `data-begin="/login/passkey-enroll/begin"`, `<script src="/static/passkey.js">`)
	pre := regexp.MustCompile(`data-csrf="([^"]+)"`).FindStringSubmatch(enrol.body)
	if pre == nil || b.cookie("sanctuary-csrf") == nil || pre[1] != b.cookie("sanctuary-csrf").Value {
		t.Fatalf("the enrolment page does not give passkey.js the pre-session token:\n%s", enrol.body)
	}
	opts := b.postJSON("/login/passkey-enroll/begin", "", pre[1])
	key := webauthntest.New()
	resp, err := key.Create(base, []byte(opts.body))
	if err != nil {
		t.Fatalf("create: %v (options %s)", err, opts.body)
	}
	if p := b.postJSON("/login/passkey-enroll/finish", `{"name":"phone","credential":`+string(resp)+`}`, pre[1]); p.status != 200 || !strings.Contains(p.body, `"next":"/"`) {
		t.Fatalf("finish enrolment: %d %s", p.status, p.body)
	}
	return key
}
