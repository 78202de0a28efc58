package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/cli"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

// sanctuary runs the command in a temporary data directory.
type sanctuary struct {
	t   *testing.T
	env map[string]string
	// first is what the first command (making the test's account) wrote
	// to stderr; setupLink is the account's setup link.
	first     string
	setupLink string
}

// tester is the staff account the CLI tests act as (fictional): a lawyer,
// who may do everything on a case of theirs.
const tester = "lena@ngo.example"

// newSanctuary prepares a data directory (or PostgreSQL schema) and makes
// the tester's account in it, as an operator would with "user add".
func newSanctuary(t *testing.T, database string) *sanctuary {
	t.Helper()
	env := map[string]string{
		"SANCTUARY_DATA_DIR":  filepath.Join(t.TempDir(), "data"),
		"SANCTUARY_LOG_LEVEL": "warn",
	}
	if database != "" {
		env["SANCTUARY_DATABASE_URL"] = database
	}
	s := &sanctuary{t: t, env: env}
	r := s.run("", "user", "add", "--role", "lawyer", "--name", "Lena W.", tester)
	if r.code != 0 || !strings.Contains(r.stdout, "/setup/snu_") {
		t.Fatalf("user add: %d %s %s", r.code, r.stdout, r.stderr)
	}
	s.first = r.stderr
	s.setupLink = regexp.MustCompile(`http://\S+/setup/snu_[a-z0-9]+`).FindString(r.stdout)
	env["SANCTUARY_ACTOR"] = tester
	return s
}

type result struct {
	stdout, stderr string
	code           int
}

func (s *sanctuary) run(stdin string, args ...string) result {
	s.t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string { return s.env[k] }
	code := cli.Main(context.Background(), args, getenv, strings.NewReader(stdin), &out, &errb)
	return result{out.String(), errb.String(), code}
}

func (s *sanctuary) ok(args ...string) string {
	s.t.Helper()
	r := s.run("", args...)
	if r.code != 0 {
		s.t.Fatalf("sanctuary %s: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}

func (s *sanctuary) fails(code int, wantErr string, args ...string) {
	s.t.Helper()
	r := s.run("", args...)
	if r.code != code || !strings.Contains(r.stderr, wantErr) {
		s.t.Errorf("sanctuary %s: exit %d, stderr %q; want exit %d and %q", strings.Join(args, " "), r.code, r.stderr, code, wantErr)
	}
}

// both runs f with SQLite in the data directory and with PostgreSQL in a
// fresh schema.
func both(t *testing.T, f func(t *testing.T, s *sanctuary)) {
	t.Run("sqlite", func(t *testing.T) { t.Parallel(); f(t, newSanctuary(t, "")) })
	t.Run("postgres", func(t *testing.T) { t.Parallel(); f(t, newSanctuary(t, storetest.PostgresSchemaURL(t))) })
}

func TestCLI_CaseTour(t *testing.T) {
	both(t, func(t *testing.T, s *sanctuary) {
		ref := strings.TrimSpace(s.ok("case", "new", "--family", "Volkov", "--given", "Denis",
			"--family-cyr", "Волков", "--given-cyr", "Денис", "--birth-date", "1995-04-12",
			"--citizenship", "RU", "--language", "ru,en", "--destination", "DE", "--destination", "NL",
			"--assignee", tester, "--contact", "signal:+49 000 1111"))
		if !casefile.ValidReference(ref) {
			t.Fatalf("case new printed %q", ref)
		}
		s.ok("case", "set-fact", ref, "has_summons", "да")
		s.ok("case", "set-fact", ref, "criminal_articles", "art_328, art_337", "--source", "document")
		s.ok("case", "set-fact", ref, "departure_date", "--unknown")
		s.ok("case", "transition", ref, "assessment", "--reason", "intake complete")
		if r := s.run("Spoke on Signal.\nWill send the summons photo.\n", "case", "note", ref, "-"); r.code != 0 {
			t.Fatalf("note: %s", r.stderr)
		}
		list := s.ok("case", "list", "--destination", "NL")
		if !strings.Contains(list, ref) || !strings.Contains(list, "Volkov Denis") {
			t.Errorf("case list:\n%s", list)
		}
		if byName := s.run("волков денис\n", "case", "list", "--name", "-"); byName.code != 0 || !strings.Contains(byName.stdout, ref) {
			t.Errorf("case list --name - (stdin): %d\n%s%s", byName.code, byName.stdout, byName.stderr)
		}
		if other := s.ok("case", "list", "--name", "Volkov Dmitry"); strings.Contains(other, ref) {
			t.Errorf("another name found the case:\n%s", other)
		}
		s.fails(2, "stdin held no name", "case", "list", "--name", "-")
		show := s.ok("case", "show", ref)
		for _, want := range []string{"Волков Денис", "has_summons", "art_328, art_337", "unknown",
			"status intake → assessment (intake complete)", "Will send the summons photo.", tester} {
			if !strings.Contains(show, want) {
				t.Errorf("case show lacks %q:\n%s", want, show)
			}
		}
		s.ok("case", "clear-fact", ref, "departure_date")

		out := filepath.Join(t.TempDir(), "export.json")
		s.ok("case", "export", ref, "--out", out)
		fi, err := os.Stat(out)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("export file: %v, mode %v", err, fi.Mode())
		}
		var x app.Export
		b, _ := os.ReadFile(out)
		if err := json.Unmarshal(b, &x); err != nil {
			t.Fatal(err)
		}
		if x.Case.Reference != ref || len(x.Facts) != 2 || len(x.FactHistory) != 4 || len(x.Notes) != 1 {
			t.Errorf("export: %d facts, %d history, %d notes", len(x.Facts), len(x.FactHistory), len(x.Notes))
		}
	})
}

func TestCLI_Errors(t *testing.T) {
	s := newSanctuary(t, "")
	ref := strings.TrimSpace(s.ok("case", "new", "--given-cyr", "Игорь"))
	s.fails(2, "value: \"2023-02-29\" is not a real date", "case", "set-fact", ref, "departure_date", "2023-02-29")
	s.fails(2, `name: unknown fact "shoe_size"`, "case", "set-fact", ref, "shoe_size", "44")
	s.fails(2, "give a value, or --unknown", "case", "set-fact", ref, "left_russia")
	s.fails(4, "it can move to: assessment, withdrawn", "case", "transition", ref, "appeal")
	s.fails(3, "no case SN-2026-9999", "case", "show", "SN-2026-9999")
	s.fails(2, "Latin letters", "case", "new", "--family", "Иванов")
	s.fails(2, "birth-date", "case", "new", "--given", "Ivan", "--birth-date", "31.12.1990")
	s.fails(2, "needs 1 argument", "case", "show")
	s.fails(2, "unknown flag", "case", "list", "--colour")
	s.fails(2, "unknown command", "nonsense")
	s.fails(2, "refusing to listen on 0.0.0.0:8080 without TLS", "serve", "--listen", "0.0.0.0:8080")
	s.fails(2, "refusing to listen on :8080 without TLS", "serve", "--listen", ":8080")
	s.fails(2, "say where browsers reach the server", "serve", "--listen", ":8080", "--behind-tls-proxy", "true")
	s.fails(2, "give both --tls-cert and --tls-key", "serve", "--listen", ":8080", "--tls-cert", "cert.pem")
	s.fails(2, "must be true or false", "serve", "--behind-tls-proxy", "yes")
	s.fails(2, "must be a postgres:// URL", "--database", "mysql://x", "case", "list")
}

func TestCLI_Config(t *testing.T) {
	s := newSanctuary(t, "")
	secret := filepath.Join(t.TempDir(), "db-url")
	if err := os.WriteFile(secret, []byte("postgres://staff:hunter2@db.internal:5432/sanctuary\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s.env["SANCTUARY_DATABASE_URL_FILE"] = secret
	out := s.ok("config", "--listen", "127.0.0.1:9000")
	if strings.Contains(out, "hunter2") {
		t.Errorf("config prints the password:\n%s", out)
	}
	for _, want := range []string{"postgres://staff:xxxxx@db.internal:5432/sanctuary", "file " + secret, "flag --listen", `"127.0.0.1:9000"`, "env SANCTUARY_ACTOR"} {
		if !strings.Contains(out, want) {
			t.Errorf("config lacks %q:\n%s", want, out)
		}
	}
	s.env["SANCTUARY_DATABASE_URL"] = "postgres://other@x/y"
	s.fails(2, "both SANCTUARY_DATABASE_URL and SANCTUARY_DATABASE_URL_FILE are set", "config")
}

func TestCLI_Version(t *testing.T) {
	out := newSanctuary(t, "").ok("version")
	if !strings.HasPrefix(out, "sanctuary ") || !strings.Contains(out, "go1.") {
		t.Errorf("version printed %q", out)
	}
}

// TestCLI_WrongVaultKeyRefused starts Sanctuary on a database with a vault
// key other than the one it was created with: it refuses at start-up and
// says which setting to check, instead of failing on the first case read.
func TestCLI_WrongVaultKeyRefused(t *testing.T) {
	both(t, func(t *testing.T, s *sanctuary) {
		s.ok("case", "new", "--given-cyr", "Ефим", "--destination", "DE")
		other := newSanctuary(t, "")
		other.ok("case", "list")
		s.env["SANCTUARY_VAULT_KEY_FILE"] = filepath.Join(other.env["SANCTUARY_DATA_DIR"], "vault.key")
		r := s.run("", "case", "list")
		if r.code == 0 || !strings.Contains(r.stderr, "the vault key does not open") || !strings.Contains(r.stderr, "SANCTUARY_VAULT_KEY_FILE") {
			t.Errorf("a wrong vault key: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
	})
}
