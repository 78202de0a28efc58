package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLI_AccountsAccessAndAudit makes accounts as the operator, acts as
// them, breaks the glass as an admin, and reads, exports, anchors and
// verifies the audit trail as an auditor.
func TestCLI_AccountsAccessAndAudit(t *testing.T) {
	both(t, func(t *testing.T, s *sanctuary) {
		s.ok("user", "add", "--role", "admin", "root@ngo.example")
		s.ok("user", "add", "--role", "auditor", "--language", "de", "audit@ngo.example")
		s.fails(2, "must be one of", "user", "add", "--role", "janitor", "x@ngo.example")
		s.fails(4, "exists already", "user", "add", "--role", "lawyer", tester)
		if list := s.ok("user", "list"); strings.Count(list, "@ngo.example") != 3 || !strings.Contains(list, "pending") {
			t.Errorf("user list:\n%s", list)
		}
		ref := strings.TrimSpace(s.ok("case", "new", "--given-cyr", "Марк", "--destination", "DE"))
		if inv := s.ok("case", "invite", ref, "--language", "ru", "--days", "3"); !strings.Contains(inv, "/invite/sni_") {
			t.Errorf("invite:\n%s", inv)
		}

		as := func(email string, args ...string) result {
			old := s.env["SANCTUARY_ACTOR"]
			s.env["SANCTUARY_ACTOR"] = email
			defer func() { s.env["SANCTUARY_ACTOR"] = old }()
			return s.run("", args...)
		}
		if r := as("root@ngo.example", "case", "show", ref); r.code != 3 {
			t.Errorf("an admin without break-glass: %d %s", r.code, r.stderr)
		}
		if r := as("root@ngo.example", "case", "break-glass", ref, "--reason", "Lena is away and the client called about a deadline"); r.code != 0 {
			t.Fatalf("break-glass: %d %s", r.code, r.stderr)
		}
		if r := as("root@ngo.example", "case", "show", ref); r.code != 0 || !strings.Contains(r.stdout, "Марк") {
			t.Errorf("after break-glass: %d %s", r.code, r.stderr)
		}
		if r := as("nobody@ngo.example", "case", "list"); r.code != 5 || !strings.Contains(r.stderr, "no staff account nobody@ngo.example") {
			t.Errorf("an unknown actor: %d %s", r.code, r.stderr)
		}
		if r := as("", "case", "list"); r.code != 5 || !strings.Contains(r.stderr, "--actor EMAIL") {
			t.Errorf("no actor: %d %s", r.code, r.stderr)
		}
		if r := s.run("", "audit", "list"); r.code != 5 {
			t.Errorf("a lawyer read the audit trail: %d", r.code)
		}
		trail := as("audit@ngo.example", "audit", "list", "--limit", "1000")
		for _, want := range []string{"case.break_glass", "allowed", "denied", "not on the case's team", "operator", tester} {
			if !strings.Contains(trail.stdout, want) {
				t.Errorf("the audit trail lacks %q:\n%s", want, trail.stdout)
			}
		}
		if strings.Contains(trail.stdout, "Марк") {
			t.Error("the audit trail holds client data")
		}
		out := filepath.Join(t.TempDir(), "audit.jsonl")
		if r := as("audit@ngo.example", "audit", "export", "--out", out); r.code != 0 {
			t.Fatalf("export: %d %s", r.code, r.stderr)
		}
		if v := s.ok("audit", "verify", out); !strings.Contains(v, "OK: the audit trail is intact") {
			t.Errorf("verify export:\n%s", v)
		}
		b, _ := os.ReadFile(out)
		os.WriteFile(out, []byte(strings.Replace(string(b), `"outcome":"denied"`, `"outcome":"allowed"`, 1)), 0o600)
		if r := s.run("", "audit", "verify", out); r.code != 4 || !strings.Contains(r.stdout, "PROBLEM") {
			t.Errorf("a doctored export: %d\n%s", r.code, r.stdout)
		}
		if a := s.ok("audit", "anchor"); !strings.Contains(a, "anchored as custody log entry") {
			t.Errorf("anchor: %s", a)
		}
		if v := s.ok("audit", "verify"); !strings.Contains(v, "OK: the audit trail is intact") || strings.Contains(v, "anchored in the custody log up to entry 0") {
			t.Errorf("verify:\n%s", v)
		}
		s.fails(5, "must finish its setup", "token", "create", "--name", "x", "--scope", "cases:read")
		s.fails(4, "the last lawyer or caseworker on 1 case(s)", "user", "disable", tester)
		s.ok("user", "add", "--role", "caseworker", "jana@ngo.example")
		s.ok("case", "assign", ref, "--add", "jana@ngo.example")
		s.ok("user", "disable", tester)
		s.fails(5, "is disabled", "case", "list")
	})
}
