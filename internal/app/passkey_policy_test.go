package app_test

import (
	"context"
	"io"
	"log/slog"
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

func passkeyApp(t testing.TB, db *store.DB) *app.App {
	t.Helper()
	p, err := defaultPack()
	if err != nil {
		t.Fatal(err)
	}
	return app.New(db, p, slog.New(slog.NewTextHandler(io.Discard, nil)), app.WithPublicURL(origin))
}

// signedInTOTP signs the account in with password and TOTP code and
// returns the session's token and a context acting as it.
func signedInTOTP(t *testing.T, a *app.App, c *clock, email, secret string) (string, context.Context) {
	t.Helper()
	ctx := context.Background()
	pending, err := a.Login(ctx, email, testPassword, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	full, err := a.VerifyTOTP(ctx, pending.Token, code(t, secret, c), "192.0.2.1")
	if err != nil {
		t.Fatalf("TOTP of %s: %v", email, err)
	}
	c.add(30 * time.Second)
	p, _, err := a.Authenticate(ctx, full.Token)
	if err != nil {
		t.Fatal(err)
	}
	return full.Token, sanctuary.WithPrincipal(ctx, p)
}

// addPasskey registers a software passkey in the signed-in session.
func addPasskey(t *testing.T, a *app.App, token string, ctx context.Context, name string) *webauthntest.Authenticator {
	t.Helper()
	opts, err := a.BeginPasskeyRegistration(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	key := webauthntest.New()
	resp, err := key.Create(origin, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.FinishPasskeyRegistration(ctx, token, name, resp); err != nil {
		t.Fatal(err)
	}
	return key
}

// TestPasskeyPolicy_AdminsKeepASignIn checks that passkeys cannot be
// required of admins so that none could sign in: not by the operator
// while no admin has a passkey, not by an admin without one; only admins
// and the operator may change the rule at all, for staff roles only; and
// an account of a passkey-only role cannot remove its last passkey.
func TestPasskeyPolicy_AdminsKeepASignIn(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := passkeyApp(t, db)
		c := useClock(db)
		rootSecret, _ := setUp(t, a, c, "root@ngo.example", sanctuary.RoleAdmin)
		ivanSecret, _ := setUp(t, a, c, "ivan@ngo.example", sanctuary.RoleAdmin)
		veraSecret, _ := setUp(t, a, c, "vera@ngo.example", sanctuary.RoleLawyer)
		rootToken, root := signedInTOTP(t, a, c, "root@ngo.example", rootSecret)
		_, ivan := signedInTOTP(t, a, c, "ivan@ngo.example", ivanSecret)
		veraToken, vera := signedInTOTP(t, a, c, "vera@ngo.example", veraSecret)

		if _, err := a.RequirePasskeys(operatorCtx(), sanctuary.RoleAdmin, true); sanctuary.ErrorCode(err) != sanctuary.ECONFLICT ||
			!strings.Contains(err.Error(), "no active admin has a passkey") {
			t.Errorf("the operator, no admin with a passkey: %v", err)
		}
		addPasskey(t, a, rootToken, root, "root's key")
		if _, err := a.RequirePasskeys(ivan, sanctuary.RoleAdmin, true); sanctuary.ErrorCode(err) != sanctuary.ECONFLICT ||
			!strings.Contains(err.Error(), "your own account first") {
			t.Errorf("an admin without a passkey: %v", err)
		}
		for _, bad := range []sanctuary.Role{sanctuary.RoleClient, sanctuary.RoleOperator, "janitor"} {
			if _, err := a.RequirePasskeys(root, bad, true); sanctuary.ErrorCode(err) != sanctuary.EINVALID {
				t.Errorf("role %q: %v", bad, err)
			}
		}
		if _, err := a.RequirePasskeys(vera, sanctuary.RoleCaseworker, true); sanctuary.ErrorCode(err) != sanctuary.EFORBIDDEN {
			t.Errorf("a lawyer sets the rule: %v", err)
		}
		pol, err := a.RequirePasskeys(root, sanctuary.RoleAdmin, true)
		if err != nil || len(pol.Required) != 1 || len(pol.Missing) != 1 || pol.Missing[0].Email != "ivan@ngo.example" {
			t.Fatalf("root requires passkeys of admins: %+v %v", pol, err)
		}
		if _, err := a.RequirePasskeys(operatorCtx(), sanctuary.RoleLawyer, true); err != nil {
			t.Fatal(err)
		}

		addPasskey(t, a, veraToken, vera, "first")
		keys, _ := a.Passkeys(vera)
		if err := a.DeletePasskey(vera, keys[0].ID); sanctuary.ErrorCode(err) != sanctuary.ECONFLICT {
			t.Errorf("removing a lawyer's only passkey: %v", err)
		}
		addPasskey(t, a, veraToken, vera, "second")
		if err := a.DeletePasskey(vera, keys[0].ID); err != nil {
			t.Errorf("removing one of two: %v", err)
		}
		if _, err := a.RequirePasskeys(root, sanctuary.RoleLawyer, false); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Login(context.Background(), "vera@ngo.example", testPassword, "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		if pol, err := a.PasskeyPolicy(operatorCtx()); err != nil || len(pol.Required) != 1 || pol.Required[0] != sanctuary.RoleAdmin {
			t.Errorf("policy after lifting it for lawyers: %+v %v", pol, err)
		}
	})
}

// TestPasskeyLink_EnrolsOnlyWithThePassword gives a lawyer whose role
// requires passkeys a passkey link: a wrong password counts as a failed
// sign-in and opens nothing, the right one opens a session that reaches
// no page and registers exactly one passkey, the link works once, a new
// link retires the old one, and pending or disabled accounts get none.
func TestPasskeyLink_EnrolsOnlyWithThePassword(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := passkeyApp(t, db)
		c := useClock(db)
		secret, codes := setUp(t, a, c, "vera@ngo.example", sanctuary.RoleLawyer)
		if _, err := a.RequirePasskeys(operatorCtx(), sanctuary.RoleLawyer, true); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		pending, _ := a.Login(ctx, "vera@ngo.example", testPassword, "192.0.2.1")
		if _, err := a.VerifyTOTP(ctx, pending.Token, code(t, secret, c), "192.0.2.1"); sanctuary.ErrorCode(err) != sanctuary.EFORBIDDEN {
			t.Errorf("TOTP of a lawyer: %v", err)
		}
		if _, _, err := a.UseRecoveryCode(ctx, pending.Token, codes[0], "192.0.2.1"); sanctuary.ErrorCode(err) != sanctuary.EFORBIDDEN {
			t.Errorf("a recovery code of a lawyer: %v", err)
		}
		// An active lawyer's account without an authenticator app (as one made
		// before second factors were mandatory) may not enrol one to sign in.
		hash, _ := account.HashPassword(testPassword)
		err := db.Update(ctx, func(tx *store.Tx) error {
			u := account.User{Email: "old@ngo.example", Role: sanctuary.RoleLawyer, Language: "en", Status: account.StatusActive, CreatedBy: "test"}
			if err := tx.InsertUser(ctx, &u); err != nil {
				return err
			}
			return tx.SetPassword(ctx, u.ID, hash)
		})
		if err != nil {
			t.Fatal(err)
		}
		enrol, err := a.Login(ctx, "old@ngo.example", testPassword, "192.0.2.1")
		if err != nil || enrol.Stage != store.StageEnroll {
			t.Fatalf("sign-in without a second factor: %+v %v", enrol, err)
		}
		if _, _, err := a.EnrollTOTP(ctx, enrol.Token, secret, code(t, secret, c)); sanctuary.ErrorCode(err) != sanctuary.EFORBIDDEN {
			t.Errorf("TOTP enrolment of a lawyer: %v", err)
		}
		if _, err := a.BeginPasskeyLogin(ctx, pending.Token); sanctuary.ErrorCode(err) != sanctuary.ECONFLICT ||
			!strings.Contains(err.Error(), "passkey link") {
			t.Errorf("a passkey sign-in without a passkey: %v", err)
		}

		old, err := a.IssuePasskeyLink(operatorCtx(), "vera@ngo.example")
		if err != nil {
			t.Fatal(err)
		}
		link, err := a.IssuePasskeyLink(operatorCtx(), "Vera@ngo.example")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.PasskeyLinkAccount(ctx, old); sanctuary.ErrorCode(err) != sanctuary.ENOTFOUND {
			t.Errorf("the older link after a new one: %v", err)
		}
		if _, err := a.OpenPasskeyLink(ctx, link, "not the password at all", "192.0.2.1"); sanctuary.ErrorCode(err) != sanctuary.EUNAUTHORIZED {
			t.Errorf("a wrong password: %v", err)
		}
		s, err := a.OpenPasskeyLink(ctx, link, testPassword, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := a.Authenticate(ctx, s.Token); err == nil {
			t.Error("the enrolment session is a signed-in session")
		}
		if _, err := a.OpenPasskeyLink(ctx, link, testPassword, "192.0.2.1"); sanctuary.ErrorCode(err) != sanctuary.ENOTFOUND {
			t.Errorf("the link used twice: %v", err)
		}
		if _, err := a.VerifyTOTP(ctx, s.Token, code(t, secret, c), "192.0.2.1"); err == nil {
			t.Error("the enrolment session takes a TOTP code")
		}
		opts, err := a.BeginPasskeyEnrolment(ctx, s.Token)
		if err != nil {
			t.Fatal(err)
		}
		key := webauthntest.New()
		resp, err := key.Create(origin, opts)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.FinishPasskeyEnrolment(ctx, s.Token, "", resp); sanctuary.ErrorCode(err) != sanctuary.EINVALID {
			t.Errorf("a passkey without a name: %v", err)
		}
		full, err := a.FinishPasskeyEnrolment(ctx, s.Token, "phone", resp)
		if err != nil {
			t.Fatal(err)
		}
		p, _, err := a.Authenticate(ctx, full.Token)
		if err != nil || p.Email != "vera@ngo.example" {
			t.Fatalf("after enrolment: %+v %v", p, err)
		}
		if _, err := a.FinishPasskeyEnrolment(ctx, s.Token, "again", resp); err == nil {
			t.Error("the enrolment session registered a second passkey")
		}
		if keys, _ := a.Passkeys(sanctuary.WithPrincipal(ctx, p)); len(keys) != 1 || keys[0].Name != "phone" {
			t.Errorf("passkeys: %+v", keys)
		}

		stale, err := a.IssuePasskeyLink(operatorCtx(), "vera@ngo.example")
		if err != nil {
			t.Fatal(err)
		}
		if err := a.DisableUser(operatorCtx(), "vera@ngo.example"); err != nil {
			t.Fatal(err)
		}
		if err := a.EnableUser(operatorCtx(), "vera@ngo.example"); err != nil {
			t.Fatal(err)
		}
		if _, err := a.PasskeyLinkAccount(ctx, stale); sanctuary.ErrorCode(err) != sanctuary.ENOTFOUND {
			t.Errorf("a link from before the account was disabled: %v", err)
		}

		if _, _, err := a.AddUser(operatorCtx(), app.NewUser{Email: "nina@ngo.example", Role: sanctuary.RoleLawyer}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.IssuePasskeyLink(operatorCtx(), "nina@ngo.example"); sanctuary.ErrorCode(err) != sanctuary.ECONFLICT {
			t.Errorf("a link for an account not set up: %v", err)
		}
		if _, err := a.IssuePasskeyLink(asUser(t, db, "vera@ngo.example"), "nina@ngo.example"); sanctuary.ErrorCode(err) != sanctuary.EFORBIDDEN {
			t.Errorf("a lawyer issues a link: %v", err)
		}
	})
}

// FuzzPasskeyEnrolment sends arbitrary bytes as the browser's answer to
// the registration of a passkey link: never a panic, never a session.
func FuzzPasskeyEnrolment(f *testing.F) {
	db := storetest.OpenSQLite(f)
	seedStaff(f, db)
	a := passkeyApp(f, db)
	ctx := context.Background()
	_, setup, _ := a.AddUser(operatorCtx(), app.NewUser{Email: "vera@ngo.example", Role: sanctuary.RoleLawyer})
	st, _ := a.BeginSetup(ctx, setup)
	totp, _ := account.TOTPCode(st.TOTP.Secret, time.Now())
	if _, err := a.CompleteSetup(ctx, setup, testPassword, st.TOTP.Secret, totp); err != nil {
		f.Fatal(err)
	}
	link, err := a.IssuePasskeyLink(operatorCtx(), "vera@ngo.example")
	if err != nil {
		f.Fatal(err)
	}
	s, err := a.OpenPasskeyLink(ctx, link, testPassword, "192.0.2.1")
	if err != nil {
		f.Fatal(err)
	}
	if _, err := a.BeginPasskeyEnrolment(ctx, s.Token); err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{`{}`, `{"id":"AA","rawId":"AA","type":"public-key","response":{}}`, `[`, ``,
		`{"response":{"clientDataJSON":"e30","attestationObject":"oA"}}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, err := a.FinishPasskeyEnrolment(ctx, s.Token, "fuzz", b); err == nil {
			t.Fatalf("a session from %q: %+v", b, got)
		}
	})
}
