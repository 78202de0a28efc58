package app_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/audit"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

const testPassword = "correct horse battery staple"

// clock lets a test move the database's time.
type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }
func useClock(db *store.DB) *clock   { c := &clock{t: time.Now().UTC()}; db.Now = c.now; return c }
func code(t *testing.T, secret string, c *clock) string {
	t.Helper()
	s, err := account.TOTPCode(secret, c.t)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// setUp makes an account through its setup link and returns its TOTP
// secret and recovery codes.
func setUp(t *testing.T, a *app.App, c *clock, email string, role sanctuary.Role) (string, []string) {
	t.Helper()
	_, link, err := a.AddUser(operatorCtx(), app.NewUser{Email: email, Role: role, Language: "de"})
	if err != nil {
		t.Fatal(err)
	}
	s, err := a.BeginSetup(context.Background(), link)
	if err != nil || s.Email != email {
		t.Fatalf("setup page: %+v, %v", s, err)
	}
	codes, err := a.CompleteSetup(context.Background(), link, testPassword, s.TOTP.Secret, code(t, s.TOTP.Secret, c))
	if err != nil || len(codes) != account.RecoveryCodes {
		t.Fatalf("setup: %v, %v", codes, err)
	}
	if _, err := a.CompleteSetup(context.Background(), link, testPassword, s.TOTP.Secret, code(t, s.TOTP.Secret, c)); sanctuary.ErrorCode(err) != sanctuary.ENOTFOUND {
		t.Errorf("a setup link used twice: %v", err)
	}
	c.add(30 * time.Second) // the next code
	return s.TOTP.Secret, codes
}

func TestSignIn_PasswordTOTPSessionLogout(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c := useClock(db)
		secret, _ := setUp(t, a, c, "vera@ngo.example", sanctuary.RoleLawyer)
		ctx := context.Background()
		pending, err := a.Login(ctx, "Vera@NGO.example", testPassword, "192.0.2.1")
		if err != nil || pending.Stage != store.StageSecondFactor {
			t.Fatalf("login: %+v, %v", pending, err)
		}
		if _, _, err := a.Authenticate(ctx, pending.Token); err == nil {
			t.Error("a session without its second factor is signed in")
		}
		full, err := a.VerifyTOTP(ctx, pending.Token, code(t, secret, c), "192.0.2.1")
		if err != nil || full.Token == pending.Token || full.Stage != store.StageFull {
			t.Fatalf("second factor: %+v, %v", full, err)
		}
		if _, err := a.VerifyTOTP(ctx, pending.Token, code(t, secret, c), "192.0.2.1"); err == nil {
			t.Error("the pre-sign-in token still works after the session was renewed")
		}
		p, csrf, err := a.Authenticate(ctx, full.Token)
		if err != nil || p.Email != "vera@ngo.example" || p.Role != sanctuary.RoleLawyer || csrf != full.CSRF {
			t.Fatalf("authenticate: %+v %q %v", p, csrf, err)
		}
		// The same code again, even on a new sign-in, is refused.
		again, _ := a.Login(ctx, "vera@ngo.example", testPassword, "192.0.2.1")
		if _, err := a.VerifyTOTP(ctx, again.Token, code(t, secret, c), "192.0.2.1"); err == nil {
			t.Error("a TOTP code was accepted twice")
		}
		uctx := sanctuary.WithPrincipal(ctx, p)
		if err := a.Logout(uctx, full.Token); err != nil {
			t.Fatal(err)
		}
		if _, _, err := a.Authenticate(ctx, full.Token); sanctuary.ErrorCode(err) != sanctuary.EUNAUTHORIZED {
			t.Errorf("after logout: %v", err)
		}
	})
}

func TestSignIn_TimeoutsAndLogoutEverywhere(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c := useClock(db)
		secret, codes := setUp(t, a, c, "vera@ngo.example", sanctuary.RoleLawyer)
		ctx := context.Background()
		signIn := func() app.SignIn {
			t.Helper()
			p, err := a.Login(ctx, "vera@ngo.example", testPassword, "192.0.2.1")
			if err != nil {
				t.Fatal(err)
			}
			s, err := a.VerifyTOTP(ctx, p.Token, code(t, secret, c), "192.0.2.1")
			if err != nil {
				t.Fatal(err)
			}
			c.add(30 * time.Second)
			return s
		}
		s := signIn()
		c.add(app.SessionIdle - time.Minute)
		if _, _, err := a.Authenticate(ctx, s.Token); err != nil {
			t.Fatalf("used within the idle time: %v", err)
		}
		c.add(app.SessionIdle + time.Second)
		if _, _, err := a.Authenticate(ctx, s.Token); err == nil {
			t.Error("an idle session still works")
		}
		s = signIn()
		for elapsed := time.Duration(0); elapsed < app.SessionMax-20*time.Minute; elapsed += 20 * time.Minute {
			c.add(20 * time.Minute)
			if _, _, err := a.Authenticate(ctx, s.Token); err != nil {
				t.Fatalf("a busy session ended after %v: %v", elapsed, err)
			}
		}
		c.add(30 * time.Minute)
		if _, _, err := a.Authenticate(ctx, s.Token); err == nil {
			t.Error("a session lives past its maximum age")
		}
		// Two devices; log out everywhere from one.
		s1 := signIn()
		p, err := a.Login(ctx, "vera@ngo.example", testPassword, "198.51.100.2")
		if err != nil {
			t.Fatal(err)
		}
		s2, left, err := a.UseRecoveryCode(ctx, p.Token, strings.ToLower(codes[3]), "198.51.100.2")
		if err != nil || left != account.RecoveryCodes-1 {
			t.Fatalf("recovery code: %v left, %v", left, err)
		}
		pr, _, _ := a.Authenticate(ctx, s2.Token)
		if n, err := a.LogoutEverywhere(sanctuary.WithPrincipal(ctx, pr), false); err != nil || n != 2 {
			t.Errorf("logged out %d sessions, %v", n, err)
		}
		for _, s := range []app.SignIn{s1, s2} {
			if _, _, err := a.Authenticate(ctx, s.Token); err == nil {
				t.Error("a session survived log out everywhere")
			}
		}
		p, _ = a.Login(ctx, "vera@ngo.example", testPassword, "198.51.100.2")
		if _, _, err := a.UseRecoveryCode(ctx, p.Token, codes[3], "198.51.100.2"); err == nil {
			t.Error("a recovery code worked twice")
		}
	})
}

func TestSignIn_BruteForceLimits(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c := useClock(db)
		secret, _ := setUp(t, a, c, "vera@ngo.example", sanctuary.RoleLawyer)
		ctx := context.Background()
		for i := range account.AccountFailures {
			_, err := a.Login(ctx, "vera@ngo.example", "wrong password "+string(rune('a'+i)), "192.0.2.1")
			wantCode(t, err, sanctuary.EUNAUTHORIZED)
		}
		_, err := a.Login(ctx, "vera@ngo.example", testPassword, "192.0.2.9")
		e := wantCode(t, err, sanctuary.EUNAUTHORIZED)
		_, errUnknown := a.Login(ctx, "nobody@ngo.example", testPassword, "192.0.2.9")
		if e.Message != sanctuary.AsError(errUnknown).Message {
			t.Errorf("a locked account answers differently from an unknown one: %q / %q", e.Message, sanctuary.AsError(errUnknown).Message)
		}
		c.add(account.AccountLock + time.Second)
		p, err := a.Login(ctx, "vera@ngo.example", testPassword, "192.0.2.9")
		if err != nil {
			t.Fatalf("after the lock: %v", err)
		}
		if _, err := a.VerifyTOTP(ctx, p.Token, code(t, secret, c), "192.0.2.9"); err != nil { // clears the count
			t.Fatalf("a full sign-in after the lock: %v", err)
		}
		// One address trying many accounts is stopped too.
		for i := range account.AddressFailures {
			a.Login(ctx, "nobody"+string(rune('a'+i))+"@ngo.example", "x", "203.0.113.5")
		}
		if _, err := a.Login(ctx, "vera@ngo.example", testPassword, "203.0.113.5"); err == nil {
			t.Error("an address over its limit signed in")
		}
		if _, err := a.Login(ctx, "vera@ngo.example", testPassword, "203.0.113.6"); err != nil {
			t.Errorf("another address: %v", err)
		}
		// Someone with the password guessing codes: every attempt counts,
		// the right password too, so the account locks within five.
		refused := false
		for range account.AccountFailures {
			p, err := a.Login(ctx, "vera@ngo.example", testPassword, "198.51.100.7")
			if err != nil {
				refused = true
				break
			}
			a.VerifyTOTP(ctx, p.Token, "000000", "198.51.100.7")
		}
		if _, err := a.Login(ctx, "vera@ngo.example", testPassword, "198.51.100.8"); !refused || err == nil {
			t.Error("wrong codes after right passwords did not lock the account")
		}
		denied := auditOf(t, db, a, app.AuditQuery{Action: "auth.", Outcome: audit.Denied})
		locked := 0
		for _, e := range denied {
			if strings.Contains(e.Detail, "account locked until") {
				locked++
			}
			if strings.Contains(e.Actor, "nobody") {
				t.Errorf("an unknown account's typed address is in the trail: %+v", e)
			}
		}
		// The fifth attempt locks, once for passwords and once for codes;
		// attempts during a lock are refused without counting, so they do
		// not renew it.
		if locked != 2 || len(denied) < account.AccountFailures+account.AddressFailures {
			t.Errorf("%d denials, %d locks", len(denied), locked)
		}
	})
}

func TestAccounts_DisableResetAndTokens(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c := useClock(db)
		secret, _ := setUp(t, a, c, "vera@ngo.example", sanctuary.RoleLawyer)
		ctx := context.Background()
		p, _ := a.Login(ctx, "vera@ngo.example", testPassword, "192.0.2.1")
		s, err := a.VerifyTOTP(ctx, p.Token, code(t, secret, c), "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		vera, _, _ := a.Authenticate(ctx, s.Token)
		vctx := sanctuary.WithPrincipal(ctx, vera)
		tok, secretToken, err := a.CreateAPIToken(vctx, app.NewAPIToken{Name: "import script", Scopes: []string{app.ScopeCasesRead}})
		if err != nil || !strings.HasPrefix(secretToken, account.PrefixAPIToken) {
			t.Fatalf("token %+v %q %v", tok, secretToken, err)
		}
		tp, err := a.AuthenticateAPIToken(ctx, secretToken)
		if err != nil || tp.Email != "vera@ngo.example" || len(tp.Scopes) != 1 {
			t.Fatalf("token principal %+v, %v", tp, err)
		}
		if _, _, err := a.CreateAPIToken(sanctuary.WithPrincipal(ctx, tp), app.NewAPIToken{Name: "x", Scopes: []string{app.ScopeCasesRead}}); err == nil {
			t.Error("a token made a token")
		}
		if _, _, err := a.CreateAPIToken(vctx, app.NewAPIToken{Name: "x", Scopes: []string{app.ScopeAuditRead}}); sanctuary.ErrorCode(err) != sanctuary.EINVALID {
			t.Errorf("a lawyer's token with audit:read: %v", err)
		}
		if err := a.DisableUser(asUser(t, db, admin), "vera@ngo.example"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := a.Authenticate(ctx, s.Token); err == nil {
			t.Error("a disabled account's session works")
		}
		if _, err := a.AuthenticateAPIToken(ctx, secretToken); err == nil {
			t.Error("a disabled account's token works")
		}
		if _, err := a.Login(ctx, "vera@ngo.example", testPassword, "192.0.2.1"); err == nil {
			t.Error("a disabled account signs in")
		}
		if err := a.DisableUser(actorCtx(), admin); sanctuary.ErrorCode(err) != sanctuary.EFORBIDDEN {
			t.Errorf("a caseworker disabled an admin: %v", err)
		}
		if _, err := a.ResetUser(operatorCtx(), "vera@ngo.example"); sanctuary.ErrorCode(err) != sanctuary.ECONFLICT {
			t.Errorf("a reset brought a disabled account back: %v", err)
		}
		if err := a.EnableUser(operatorCtx(), "vera@ngo.example"); err != nil {
			t.Fatal(err)
		}
		link, err := a.ResetUser(operatorCtx(), "vera@ngo.example")
		if err != nil {
			t.Fatal(err)
		}
		st, err := a.BeginSetup(ctx, link)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.CompleteSetup(ctx, link, "short", st.TOTP.Secret, "000000"); sanctuary.ErrorCode(err) != sanctuary.EINVALID {
			t.Errorf("a weak password and a wrong code: %v", err)
		}
		if _, err := a.CompleteSetup(ctx, link, testPassword+" 2", st.TOTP.Secret, code(t, st.TOTP.Secret, c)); err != nil {
			t.Errorf("setup after reset: %v", err)
		}
		c.add(app.SetupLinkTTL + time.Hour)
		_, link2, _ := a.AddUser(operatorCtx(), app.NewUser{Email: "late@ngo.example", Role: sanctuary.RoleCaseworker})
		c.add(app.SetupLinkTTL + time.Minute)
		if _, err := a.BeginSetup(ctx, link2); sanctuary.ErrorCode(err) != sanctuary.ENOTFOUND {
			t.Errorf("an expired setup link: %v", err)
		}
	})
}

func TestInvitation_ClientSession(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c := useClock(db)
		cs := mustCreate(t, a)
		inv, token, err := a.InviteClient(actorCtx(), cs.Reference, "ru", 0)
		if err != nil || !strings.HasPrefix(token, account.PrefixInvitation) {
			t.Fatalf("invite: %+v %v", inv, err)
		}
		if _, _, err := a.InviteClient(asUser(t, db, nadia), cs.Reference, "ru", 0); sanctuary.ErrorCode(err) != sanctuary.ENOTFOUND {
			t.Errorf("an outsider invited a client: %v", err)
		}
		ctx := context.Background()
		s, err := a.OpenInvitation(ctx, token, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		p, _, err := a.Authenticate(ctx, s.Token)
		if err != nil || p.Role != sanctuary.RoleClient || p.CaseID != cs.ID {
			t.Fatalf("client principal %+v, %v", p, err)
		}
		if err := a.RevokeInvitation(actorCtx(), cs.Reference, inv.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := a.Authenticate(ctx, s.Token); err == nil {
			t.Error("a revoked invitation's session works")
		}
		if _, err := a.OpenInvitation(ctx, token, "192.0.2.1"); sanctuary.ErrorCode(err) != sanctuary.EUNAUTHORIZED {
			t.Errorf("a revoked invitation opens: %v", err)
		}
		_, token2, _ := a.InviteClient(actorCtx(), cs.Reference, "de", 2*time.Hour)
		c.add(3 * time.Hour)
		if _, err := a.OpenInvitation(ctx, token2, "192.0.2.1"); err == nil {
			t.Error("an expired invitation opens")
		}
	})
}

// TestSignIn_ParallelGuessesStopAtTheLimit sends many wrong codes at once
// on one pending sign-in, then the right one: the count is taken before
// each check, so at most a handful are checked and the right code comes
// too late.
func TestSignIn_ParallelGuessesStopAtTheLimit(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c := useClock(db)
		secret, _ := setUp(t, a, c, "vera@ngo.example", sanctuary.RoleLawyer)
		ctx := context.Background()
		p, err := a.Login(ctx, "vera@ngo.example", testPassword, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for i := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a.VerifyTOTP(ctx, p.Token, fmt.Sprintf("%06d", i), fmt.Sprintf("198.51.100.%d", i))
			}()
		}
		wg.Wait()
		if _, err := a.VerifyTOTP(ctx, p.Token, code(t, secret, c), "192.0.2.1"); err == nil {
			t.Fatal("the right code got through after 40 parallel guesses")
		}
		checked := 0
		for _, e := range auditOf(t, db, a, app.AuditQuery{Action: "auth.totp"}) {
			if strings.HasPrefix(e.Detail, "wrong credentials") {
				checked++
			}
		}
		if checked > account.AccountFailures {
			t.Errorf("%d guesses were checked; at most %d may be", checked, account.AccountFailures)
		}
	})
}

// TestSetup_RefusesAWeakSecret: the TOTP secret comes back from the
// browser with the setup form; an empty or short one (whose codes are
// known) is refused, so the second factor cannot be switched off.
func TestSetup_RefusesAWeakSecret(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		c := useClock(db)
		_, link, _ := a.AddUser(operatorCtx(), app.NewUser{Email: "vera@ngo.example", Role: sanctuary.RoleLawyer})
		for _, secret := range []string{"", "AA", "GEZDGNBV"} {
			code, _ := account.TOTPCode(secret, c.t)
			_, err := a.CompleteSetup(context.Background(), link, testPassword, secret, code)
			if sanctuary.ErrorCode(err) != sanctuary.EINVALID {
				t.Errorf("secret %q: %v", secret, err)
			}
		}
	})
}
