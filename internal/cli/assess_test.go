package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCLI_RulesLintAndTest(t *testing.T) {
	s := newSanctuary(t, "")
	out := s.ok("rules", "lint")
	if !strings.HasPrefix(out, "ok: sanctuary-default") {
		t.Errorf("rules lint: %s", out)
	}
	out = s.ok("rules", "test")
	if !strings.Contains(out, ": 0 failed") {
		t.Errorf("rules test: %s", out)
	}
	// A broken pack given with --knowledge is refused with file and line.
	dir := t.TempDir()
	copyDir(t, "../../knowledge", dir)
	ru := filepath.Join(dir, "rules", "ru.yaml")
	b, _ := os.ReadFile(ru)
	os.WriteFile(ru, []byte(strings.Replace(string(b), `condition: "true"`, `condition: "has_sumons"`, 1)), 0o644)
	s.fails(2, "rules/ru.yaml:", "--knowledge", dir, "rules", "lint")
	s.fails(2, "undeclared reference to 'has_sumons'", "--knowledge", dir, "rules", "lint")
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCLI_AssessFacts(t *testing.T) {
	s := newSanctuary(t, "")
	facts := filepath.Join(t.TempDir(), "facts.yaml")
	os.WriteFile(facts, []byte("facts:\n  is_deserter: true\n  current_country: AM\nunknown: [desertion_proof_held]\n"), 0o600)
	out := s.ok("assess", "--facts", facts, "--as-of", "2024-06-01", "--jurisdiction", "RU,AM,DE", "--compare-with", "2022-06-01")
	for _, want := range []string{"Assessment as of 2024-06-01", "== RU", "== AM", "What changed (as of 2022-06-01 → 2024-06-01)", "Decision support"} {
		if !strings.Contains(out, want) {
			t.Errorf("assess lacks %q:\n%s", want, out)
		}
	}
	ru := s.ok("assess", "--facts", facts, "--as-of", "2024-06-01", "--lang", "ru", "--format", "markdown")
	if !strings.Contains(ru, "# Оценка на дату 2024-06-01") {
		t.Errorf("markdown in Russian:\n%.300s", ru)
	}
	var js struct {
		Assessment struct {
			Findings []map[string]any
			Warnings []map[string]any
		}
	}
	if err := json.Unmarshal([]byte(s.ok("assess", "--facts", facts, "--as-of", "2026-11-26", "--format", "json")), &js); err != nil {
		t.Fatal(err)
	}
	if len(js.Assessment.Findings) == 0 || len(js.Assessment.Warnings) == 0 {
		t.Errorf("json: %d findings, %d warnings (as of a date past covers_until there must be a stale warning)", len(js.Assessment.Findings), len(js.Assessment.Warnings))
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("facts:\n  is_deserter: perhaps\n"), 0o600)
	s.fails(2, "bad.yaml:2: facts: is_deserter: \"perhaps\" is not true or false", "assess", "--facts", bad)
	s.fails(2, "give either --case or --facts", "assess")
	s.fails(2, "as-of:", "assess", "--facts", facts, "--as-of", "2024-02-30")
}

func TestCLI_AssessCaseAndReassess(t *testing.T) {
	both(t, func(t *testing.T, s *sanctuary) {
		ref := strings.TrimSpace(s.ok("case", "new", "--given-cyr", "Олег", "--destination", "FR"))
		s.ok("case", "set-fact", ref, "is_deserter", "yes")
		out := s.ok("assess", "--case", ref, "--as-of", "2024-06-01")
		if !strings.Contains(out, "== FR") {
			t.Errorf("assess --case:\n%s", out)
		}
		if show := s.ok("case", "show", ref); !strings.Contains(show, "assessed as of 2024-06-01") {
			t.Errorf("timeline lacks the assessment:\n%s", show)
		}
		s.ok("case", "new", "--given", "Ivan")
		r := s.run("", "reassess")
		if r.code != 0 || !strings.Contains(r.stdout, "reassessed 1 of 1 open cases") || !strings.Contains(r.stderr, "1/1") {
			t.Errorf("reassess: %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		if out := s.ok("reassess"); !strings.Contains(out, "reassessed 0 of 0") {
			t.Errorf("second reassess: %s", out)
		}
	})
}
