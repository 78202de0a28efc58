package cli_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sanctuary-platform/sanctuary/internal/bundle"
)

func TestCLI_EvidenceTour(t *testing.T) {
	both(t, func(t *testing.T, s *sanctuary) {
		if !strings.Contains(s.first, "VAULT KEY") {
			t.Fatalf("the first start did not create and announce the vault key:\n%s", s.first)
		}
		first := s.run("", "case", "new", "--given-cyr", "Андрей", "--destination", "DE")
		ref := strings.TrimSpace(first.stdout)
		doc := filepath.Join(t.TempDir(), "summons.jpg")
		content := bytes.Repeat([]byte("fictional summons scan\n"), 3000)
		os.WriteFile(doc, content, 0o600)

		r := s.run("", "evidence", "add", "--case", ref, "--title", "Summons of 7 Oct 2025 (fictional)",
			"--kind", "summons", "--document-date", "2025-10-07", "--fact", "has_summons", doc)
		if r.code != 0 || !strings.Contains(r.stdout, "evidence #1 added") {
			t.Fatalf("add: %d %s %s", r.code, r.stdout, r.stderr)
		}
		if strings.Contains(r.stderr, "VAULT KEY") {
			t.Errorf("the second start announced a new vault key again:\n%s", r.stderr)
		}
		if list := s.ok("evidence", "list", "--case", ref); !strings.Contains(list, "Summons of 7 Oct 2025") {
			t.Errorf("list:\n%s", list)
		}
		out := filepath.Join(t.TempDir(), "copy.jpg")
		s.ok("evidence", "get", "--case", ref, "1", "--out", out)
		if got, _ := os.ReadFile(out); !bytes.Equal(got, content) {
			t.Error("the downloaded document differs")
		}
		s.ok("evidence", "edit", "--case", ref, "1", "--title", "Summons (fictional), described again", "--kind", "summons")

		// A bundle, verified by both front ends.
		zipPath := filepath.Join(t.TempDir(), "bundle.zip")
		s.ok("evidence", "export", "--case", ref, "--out", zipPath)
		// Without the organisation's key it is consistent, not verified.
		if v := s.run("", "verify", zipPath); v.code != 3 || !strings.Contains(v.stdout, "RESULT: CONSISTENT ONLY, NOT VERIFIED") ||
			regexp.MustCompile(`(?m)^(items/\d+ VERIFIED|RESULT: VERIFIED)`).MatchString(v.stdout) {
			t.Errorf("verify without a key: %d\n%s%s", v.code, v.stdout, v.stderr)
		}
		vkey := logVKey(t, s.env["SANCTUARY_DATA_DIR"])
		if cfg := s.ok("config"); !strings.Contains(cfg, vkey) || !strings.Contains(cfg, bundle.KeySHA256(vkey)) {
			t.Errorf("config does not show the log key and its fingerprint:\n%s", cfg)
		}
		v := s.run("", "verify", "-vkey", vkey, zipPath)
		if v.code != 0 || !strings.Contains(v.stdout, "items/0001 VERIFIED") || !strings.Contains(v.stdout, "RESULT: VERIFIED: the 1 item, against the log key you gave") {
			t.Errorf("verify: %d\n%s%s", v.code, v.stdout, v.stderr)
		}
		for _, typ := range []string{"ingest", "download", "annotate", "export"} {
			if !regexp.MustCompile(typ + `\s+by ` + regexp.QuoteMeta(tester)).MatchString(v.stdout) {
				t.Errorf("verify does not list the %s event:\n%s", typ, v.stdout)
			}
		}
		fsck := s.ok("fsck", "--deep")
		if !strings.Contains(fsck, "ok") {
			t.Errorf("fsck:\n%s", fsck)
		}

		// The exported case key opens the objects with the age command.
		key := filepath.Join(t.TempDir(), "case.key")
		s.ok("case", "export-key", ref, "--out", key)
		ageBin := buildAge(t)
		objs, _ := filepath.Glob(filepath.Join(s.env["SANCTUARY_DATA_DIR"], "vault", "objects", "*", "*.age"))
		if len(objs) != 1 {
			t.Fatalf("objects %v", objs)
		}
		plain, err := exec.Command(ageBin, "-d", "-i", key, objs[0]).Output()
		if err != nil || !bytes.Equal(plain, content) {
			t.Fatalf("age -d with the exported key: %v", err)
		}

		// Shredding: refused without confirmation, then the objects are lost.
		s.fails(2, "--confirm", "case", "shred", ref)
		s.ok("case", "shred", ref, "--confirm", ref)
		s.fails(4, "key was destroyed", "evidence", "get", "--case", ref, "1", "--out", filepath.Join(t.TempDir(), "x"))
		s.fails(4, "key was destroyed", "case", "export-key", ref, "--out", filepath.Join(t.TempDir(), "y"))
		show := s.ok("case", "show", ref)
		if !strings.Contains(show, "DESTROYED") || strings.Contains(show, "Андрей") {
			t.Errorf("case show after the shred:\n%s", show)
		}
		// The earlier bundle still verifies, and so does the log.
		if v := s.run("", "verify", "-vkey", vkey, zipPath); v.code != 0 {
			t.Errorf("the bundle no longer verifies after the shred: %s", v.stdout)
		}
		if fsck := s.ok("fsck"); !strings.Contains(fsck, "ok") {
			t.Errorf("fsck after shred:\n%s", fsck)
		}
	})
}

// logVKey reads the custody log's public key from the data directory's
// key file, as an organisation would publish it.
func logVKey(t *testing.T, dataDir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dataDir, "custody.key"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}

// buildAge builds the upstream age command (filippo.io/age/cmd/age, the
// version in go.mod, 1.3.2), which reads post-quantum identities. Debian
// 12's age package is 1.1.1 and does not: see the notes in docs/evidence.md.
func buildAge(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "age")
	cmd := exec.Command("go", "build", "-o", bin, "filippo.io/age/cmd/age")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build age: %v\n%s", err, out)
	}
	return bin
}

func TestCLI_EvidenceBadInput(t *testing.T) {
	s := newSanctuary(t, "")
	ref := strings.TrimSpace(s.ok("case", "new", "--given", "Pavel"))
	s.fails(2, "title: is required", "evidence", "add", "--case", ref, "-")
	s.fails(2, "kind:", "evidence", "add", "--case", ref, "--title", "x", "--kind", "gossip", "-")
	s.fails(2, "cannot read", "evidence", "add", "--case", ref, "--title", "x", "/nonexistent/file")
	s.fails(3, "no case", "evidence", "add", "--case", "SN-2026-9999", "--title", "x", "-")
	s.fails(2, "not an evidence id", "evidence", "get", "--case", ref, "abc", "--out", "x")
	s.fails(3, "no evidence item 7", "evidence", "get", "--case", ref, "7", "--out", filepath.Join(t.TempDir(), "x"))
	s.fails(1, "", "verify", t.TempDir())
}
