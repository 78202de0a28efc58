package cli_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/vault"
	"github.com/sanctuary-platform/sanctuary/knowledge"
)

// TestCLI_RequirePasskeysAndPasskeyLink sets the sign-in rule from the
// server's shell: passkeys for lawyers, listing the lawyers who have none
// yet; not for admins while no admin has a passkey; then gives the lawyer
// a passkey link. Each change is in the audit trail.
func TestCLI_RequirePasskeysAndPasskeyLink(t *testing.T) {
	both(t, func(t *testing.T, s *sanctuary) {
		if out := s.ok("user", "require-passkeys"); !strings.Contains(out, "no role must sign in with a passkey") {
			t.Errorf("the rule at first:\n%s", out)
		}
		s.fails(4, "has not finished its setup", "user", "passkey-link", tester)
		s.setUpTester()
		out := s.ok("user", "require-passkeys", "lawyer")
		if !strings.Contains(out, "lawyer: passkey only") || !strings.Contains(out, tester) || !strings.Contains(out, "passkey-link") {
			t.Errorf("require-passkeys lawyer:\n%s", out)
		}
		s.fails(4, "no active admin has a passkey", "user", "require-passkeys", "admin")
		s.fails(2, "must be one of", "user", "require-passkeys", "janitor")
		if link := s.ok("user", "passkey-link", tester); !strings.Contains(link, "/passkey/snk_") {
			t.Errorf("passkey-link:\n%s", link)
		}
		if out := s.ok("user", "require-passkeys", "lawyer", "--off"); !strings.Contains(out, "no role must sign in with a passkey") {
			t.Errorf("require-passkeys lawyer --off:\n%s", out)
		}
		s.ok("user", "add", "--role", "auditor", "audit@ngo.example")
		s.env["SANCTUARY_ACTOR"] = "audit@ngo.example"
		trail := s.ok("audit", "list", "--action", "user.manage", "--limit", "100")
		for _, want := range []string{"passkeys required for lawyer", "passkeys no longer required for lawyer", "passkey link", "no active admin has a passkey"} {
			if !strings.Contains(trail, want) {
				t.Errorf("the audit trail lacks %q:\n%s", want, trail)
			}
		}
	})
}

// setUpTester sets the tester's account up through its setup link, as
// its owner would on the setup page.
func (s *sanctuary) setUpTester() {
	s.t.Helper()
	ctx := context.Background()
	db := s.openStore()
	defer db.Close()
	pack, err := knowledge.Load()
	if err != nil {
		s.t.Fatal(err)
	}
	a := app.New(db, pack, slog.New(slog.NewTextHandler(io.Discard, nil)))
	token := s.setupLink[strings.LastIndex(s.setupLink, "/")+1:]
	st, err := a.BeginSetup(ctx, token)
	if err != nil {
		s.t.Fatal(err)
	}
	code, _ := account.TOTPCode(st.TOTP.Secret, time.Now())
	if _, err := a.CompleteSetup(ctx, token, "correct horse battery staple", st.TOTP.Secret, code); err != nil {
		s.t.Fatal(err)
	}
}

// openStore opens the instance's database directly, with its vault key.
func (s *sanctuary) openStore() *store.DB {
	s.t.Helper()
	dir := s.env["SANCTUARY_DATA_DIR"]
	key, err := vault.LoadKeyFile(filepath.Join(dir, "vault.key"))
	if err != nil {
		s.t.Fatal(err)
	}
	dsn := s.env["SANCTUARY_DATABASE_URL"]
	if dsn == "" {
		dsn = filepath.Join(dir, "sanctuary.db")
	}
	db, err := store.Open(context.Background(), dsn, store.Options{Keyring: key})
	if err != nil {
		s.t.Fatal(err)
	}
	return db
}
