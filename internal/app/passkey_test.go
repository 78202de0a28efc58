package app_test

import (
	"context"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
	"github.com/sanctuary-platform/sanctuary/internal/webauthntest"
)

const origin = "http://localhost:8080"

// TestPasskey_SecondFactor adds a passkey to an account and signs in with
// password and passkey, through go-webauthn's full ceremony against a
// software authenticator; a bad signature and a cloned authenticator are
// refused.
func TestPasskey_SecondFactor(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		p, err := defaultPack()
		if err != nil {
			t.Fatal(err)
		}
		seedStaff(t, db)
		a := app.New(db, p, slog.New(slog.NewTextHandler(io.Discard, nil)), app.WithPublicURL(origin))
		c := useClock(db)
		secret, _ := setUp(t, a, c, "vera@ngo.example", sanctuary.RoleLawyer)
		ctx := context.Background()
		pending, _ := a.Login(ctx, "vera@ngo.example", testPassword, "192.0.2.1")
		full, err := a.VerifyTOTP(ctx, pending.Token, code(t, secret, c), "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		pr, _, _ := a.Authenticate(ctx, full.Token)
		uctx := sanctuary.WithPrincipal(ctx, pr)
		opts, err := a.BeginPasskeyRegistration(uctx, full.Token)
		if err != nil {
			t.Fatal(err)
		}
		key := webauthntest.New()
		resp, err := key.Create(origin, opts)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.FinishPasskeyRegistration(uctx, full.Token, "laptop", resp); err != nil {
			t.Fatalf("register: %v", err)
		}
		if keys, _ := a.Passkeys(uctx); len(keys) != 1 || keys[0].Name != "laptop" {
			t.Errorf("passkeys %+v", keys)
		}

		signIn := func() (app.SignIn, error) {
			pending, err := a.Login(ctx, "vera@ngo.example", testPassword, "192.0.2.1")
			if err != nil {
				return app.SignIn{}, err
			}
			if pd, err := a.PendingSignIn(ctx, pending.Token); err != nil || pd.Passkeys != 1 {
				t.Fatalf("pending %+v %v", pd, err)
			}
			opts, err := a.BeginPasskeyLogin(ctx, pending.Token)
			if err != nil {
				return app.SignIn{}, err
			}
			resp, err := key.Get(origin, opts)
			if err != nil {
				return app.SignIn{}, err
			}
			return a.FinishPasskeyLogin(ctx, pending.Token, resp, "192.0.2.1")
		}
		s, err := signIn()
		if err != nil {
			t.Fatalf("passkey sign-in: %v", err)
		}
		if _, _, err := a.Authenticate(ctx, s.Token); err != nil {
			t.Errorf("the passkey session: %v", err)
		}
		if _, err := signIn(); err != nil {
			t.Fatalf("a second passkey sign-in: %v", err)
		}
		key.Faults.FlipSignatureBit = true
		if _, err := signIn(); sanctuary.ErrorCode(err) != sanctuary.EUNAUTHORIZED {
			t.Errorf("a bad signature: %v", err)
		}
		key.Faults = webauthntest.Faults{}
		if _, err := signIn(); err != nil { // the stored counter catches up
			t.Fatal(err)
		}
		key.Faults = webauthntest.Faults{FreezeCounter: true}
		if _, err := signIn(); sanctuary.ErrorCode(err) != sanctuary.EUNAUTHORIZED {
			t.Errorf("a cloned authenticator (counter did not move): %v", err)
		}
	})
}

// FuzzPasskeyAnswer sends arbitrary bytes as the browser's answer to a
// passkey sign-in: never a panic, never a session.
func FuzzPasskeyAnswer(f *testing.F) {
	db := storetest.OpenSQLite(f)
	p, err := defaultPack()
	if err != nil {
		f.Fatal(err)
	}
	seedStaff(f, db)
	a := app.New(db, p, slog.New(slog.NewTextHandler(io.Discard, nil)), app.WithPublicURL(origin))
	_, link, _ := a.AddUser(operatorCtx(), app.NewUser{Email: "vera@ngo.example", Role: sanctuary.RoleLawyer})
	s, _ := a.BeginSetup(context.Background(), link)
	code, _ := account.TOTPCode(s.TOTP.Secret, time.Now())
	if _, err := a.CompleteSetup(context.Background(), link, testPassword, s.TOTP.Secret, code); err != nil {
		f.Fatal(err)
	}
	pending, err := a.Login(context.Background(), "vera@ngo.example", testPassword, "192.0.2.1")
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{`{}`, `{"id":"AA","rawId":"AA","type":"public-key","response":{}}`, `[`, ``, `{"response":{"clientDataJSON":"e30"}}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if s, err := a.FinishPasskeyLogin(context.Background(), pending.Token, b, "192.0.2.1"); err == nil {
			t.Fatalf("a session from %q: %+v", b, s)
		}
	})
}
