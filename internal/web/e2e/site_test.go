package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/ledger"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/vault"
	"github.com/sanctuary-platform/sanctuary/internal/web"
	"github.com/sanctuary-platform/sanctuary/knowledge"
)

// site is Sanctuary as a browser meets it: the real handler over real
// HTTP, with the built-in knowledge pack and an evidence vault, over a
// database of the test. Its public URL is its own address, so the links
// it hands out (setup, invitations) and its origin checks match.
type site struct {
	URL   string
	App   *app.App
	DB    *store.DB
	Clock *clock
}

// clock is the site's time: now, moved on by Advance. A TOTP code works
// once, so each code a test takes comes from a later 30-second step (see
// site.code).
type clock struct{ offset atomic.Int64 }

func (c *clock) Now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *clock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// code moves the site's clock to the next 30-second step and returns the
// TOTP code the person's authenticator app shows then, computed with
// pquerna/otp from the secret alone.
func (s *site) code(t testing.TB, secret string) string {
	t.Helper()
	s.Clock.Advance(30 * time.Second)
	code, err := totp.GenerateCode(secret, s.Clock.Now())
	if err != nil {
		t.Fatalf("TOTP code of %q: %v", secret, err)
	}
	return code
}

// wrongCode returns a six-digit code that no step near now accepts.
func (s *site) wrongCode(t testing.TB, secret string) string {
	t.Helper()
	near := map[string]bool{}
	for d := -2; d <= 2; d++ {
		c, err := totp.GenerateCode(secret, s.Clock.Now().Add(time.Duration(d)*30*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		near[c] = true
	}
	for n := 123456; ; n++ {
		if c := fmt.Sprintf("%06d", n); !near[c] {
			return c
		}
	}
}

var defaultPack = sync.OnceValues(knowledge.Load)

// newSite serves Sanctuary over db. Server errors are logged into the
// test's output.
func newSite(t *testing.T, db *store.DB) *site {
	t.Helper()
	c := &clock{}
	db.Now = c.Now // before the server starts: nothing reads it yet
	pack, err := defaultPack()
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	a := app.New(db, pack, log, app.WithEvidence(evidence(t)))
	srv := httptest.NewServer(web.NewHandler(a, log, web.Options{}))
	t.Cleanup(srv.Close)
	// localhost rather than 127.0.0.1: a passkey's relying party must be a
	// host name, and Chromium resolves localhost to the loopback itself.
	base := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	a.SetPublicURL(base)
	return &site{URL: base, App: a, DB: db, Clock: c}
}

// evidence makes an evidence vault and custody log in a temporary directory.
func evidence(t *testing.T) *app.Evidence {
	t.Helper()
	dir := t.TempDir()
	st, err := vault.OpenStore(filepath.Join(dir, "vault"))
	if err != nil {
		t.Fatal(err)
	}
	vk, err := vault.CreateKeyFile(filepath.Join(dir, "vault.key"))
	if err != nil {
		t.Fatal(err)
	}
	lk, err := custody.CreateKeyFile(filepath.Join(dir, "custody.key"))
	if err != nil {
		t.Fatal(err)
	}
	lg, err := ledger.Open(filepath.Join(dir, "custody"), lk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lg.Close() })
	return &app.Evidence{Store: st, Key: vk, Custody: lg}
}

// operator is the person at the server's shell, who makes accounts.
func operator() context.Context {
	return sanctuary.WithPrincipal(context.Background(), sanctuary.Principal{Role: sanctuary.RoleOperator, Via: "test"})
}

// The people of the tests (fictional).
const (
	vera     = "vera@ngo.example" // lawyer, sets up her account in the browser
	lena     = "lena@ngo.example" // caseworker with a ready account
	password = "correct horse battery staple"
)

// setupLink makes a pending staff account and returns the path of its
// one-time setup link, as `sanctuary user add` prints it.
func (s *site) setupLink(t *testing.T, email string, role sanctuary.Role, lang string) string {
	t.Helper()
	_, token, err := s.App.AddUser(operator(), app.NewUser{Email: email, Role: role, Language: lang})
	if err != nil {
		t.Fatalf("add %s: %v", email, err)
	}
	return pathOf(s.App.Link("/setup/" + token))
}

// staff is an active staff account and what its owner knows.
type staff struct {
	Email, Password, Secret string
}

// addStaff makes an active staff account with a password and an
// authenticator app, set up through the app layer (the browser way is
// tested in TestSetupAndSignIn).
func (s *site) addStaff(t *testing.T, email string, role sanctuary.Role) staff {
	t.Helper()
	ctx := context.Background()
	_, token, err := s.App.AddUser(operator(), app.NewUser{Email: email, Role: role, Language: "en"})
	if err != nil {
		t.Fatalf("add %s: %v", email, err)
	}
	su, err := s.App.BeginSetup(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.App.CompleteSetup(ctx, token, password, su.TOTP.Secret, s.code(t, su.TOTP.Secret)); err != nil {
		t.Fatalf("set up %s: %v", email, err)
	}
	return staff{Email: email, Password: password, Secret: su.TOTP.Secret}
}

// signIn signs the staff member in through the sign-in pages.
func (s *site) signIn(b *tab, p staff) {
	b.t.Helper()
	b.visit("/login")
	b.fill("#email", p.Email)
	b.fill("#password", p.Password)
	b.click("main form button")
	b.at("/login/second-factor")
	b.fill("#code", s.code(b.t, p.Secret))
	b.click(`form[action="/login/totp"] button`)
	b.at("/")
	b.see(p.Email)
}

// as returns a context acting as the staff member, for the app layer.
func (s *site) as(t *testing.T, email string) context.Context {
	t.Helper()
	p, err := s.App.CommandLinePrincipal(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return sanctuary.WithPrincipal(context.Background(), p)
}

// newCase opens a case (a fictional person) as the staff member.
func (s *site) newCase(t *testing.T, email string) casefile.Case {
	t.Helper()
	person := casefile.Person{
		Identity: casefile.Identity{NameLatin: casefile.Name{Family: "Sokolov", Given: "Artyom"},
			NameCyrillic: casefile.Name{Family: "Соколов", Given: "Артём"}},
		Citizenships: []string{"RU"},
		Languages:    []string{"ru"},
	}
	c, err := s.App.CreateCase(s.as(t, email), app.NewCase{Person: person, Destinations: []string{"DE"}})
	if err != nil {
		t.Fatalf("open a case: %v", err)
	}
	return c
}

// invite makes a client invitation to the case and returns its link's
// path, as the caseworker would send it.
func (s *site) invite(t *testing.T, email, ref, lang string) string {
	t.Helper()
	_, token, err := s.App.InviteClient(s.as(t, email), ref, lang, 0)
	if err != nil {
		t.Fatalf("invite: %v", err)
	}
	return pathOf(s.App.Link("/invite/" + token))
}
