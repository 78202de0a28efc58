package cli_test

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sanctuary-platform/sanctuary/internal/cli"
)

// TestMain lets the test binary act as the sanctuary command in a child
// process, so that a test can kill it with SIGKILL.
func TestMain(m *testing.M) {
	if args, ok := strings.CutPrefix(os.Getenv("SANCTUARY_AS_COMMAND"), "1"); ok && args == "" {
		os.Exit(cli.Main(context.Background(), os.Args[2:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// child runs "sanctuary args..." in a child process.
func (s *sanctuary) child(stdin io.Reader, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], append([]string{"--"}, args...)...)
	cmd.Env = append(os.Environ(), "SANCTUARY_AS_COMMAND=1")
	for k, v := range s.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdin = stdin
	return cmd
}

func killedBySignal(err error) bool {
	var ee *exec.ExitError
	return errors.As(err, &ee) && !ee.Exited()
}

// TestCrash_KillNineAtEveryStep kills "sanctuary evidence add" with
// SIGKILL at each step of an ingest, then runs fsck: the item is either
// complete, with its log entry, or nowhere — no item, object or temporary
// file left.
func TestCrash_KillNineAtEveryStep(t *testing.T) {
	steps := map[string]bool{"create": false, "write": false, "sync": false, "rename": false, "sync-dir": false,
		"stored": false, "pending": false, "logged": true}
	for step, complete := range steps {
		t.Run(step, func(t *testing.T) {
			s := newSanctuary(t, "")
			ref := strings.TrimSpace(s.ok("case", "new", "--given", "Pavel"))
			s.ok("fsck") // creates the keys, the vault and the log
			doc := filepath.Join(t.TempDir(), "doc.pdf")
			os.WriteFile(doc, []byte(strings.Repeat("fictional court decision\n", 5000)), 0o600)
			cmd := s.child(nil, "evidence", "add", "--case", ref, "--title", "Decision (fictional)", doc)
			cmd.Env = append(cmd.Env, "SANCTUARY_TEST_KILL_AT="+step)
			if err := cmd.Run(); !killedBySignal(err) {
				t.Fatalf("the child was not killed at %s: %v", step, err)
			}
			checkAfterCrash(t, s, ref, complete)
		})
	}
}

// TestCrash_KillNineMidUpload kills an ingest while the document is still
// streaming in.
func TestCrash_KillNineMidUpload(t *testing.T) {
	s := newSanctuary(t, "")
	ref := strings.TrimSpace(s.ok("case", "new", "--given", "Pavel"))
	s.ok("fsck")
	pr, pw := io.Pipe()
	cmd := s.child(pr, "evidence", "add", "--case", ref, "--title", "Recording (fictional)", "-")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { // the document, endlessly, until the child dies
		chunk := []byte(strings.Repeat("fictional video frame ", 50000))
		for {
			if _, err := pw.Write(chunk); err != nil {
				return
			}
		}
	}()
	tmp := filepath.Join(s.env["SANCTUARY_DATA_DIR"], "vault", "tmp")
	deadline := time.Now().Add(30 * time.Second)
	for !bigTempFile(tmp) {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the upload never reached the vault; the child said:\n%s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cmd.Process.Kill()
	if err := cmd.Wait(); !killedBySignal(err) {
		t.Fatalf("not killed: %v", err)
	}
	pr.Close()
	checkAfterCrash(t, s, ref, false)
}

func checkAfterCrash(t *testing.T, s *sanctuary, ref string, complete bool) {
	t.Helper()
	fsck := s.ok("fsck", "--grace", "0s", "--deep")
	list := s.ok("evidence", "list", "--case", ref)
	objs, _ := filepath.Glob(filepath.Join(s.env["SANCTUARY_DATA_DIR"], "vault", "objects", "*", "*.age"))
	tmps, _ := os.ReadDir(filepath.Join(s.env["SANCTUARY_DATA_DIR"], "vault", "tmp"))
	visible := strings.Contains(list, "fictional")
	switch {
	case len(tmps) != 0:
		t.Errorf("temporary files left: %v", tmps)
	case complete && (!visible || len(objs) != 1):
		t.Errorf("want the complete item: list\n%s\nobjects %v\nfsck\n%s", list, objs, fsck)
	case !complete && (visible || len(objs) != 0):
		t.Errorf("want nothing: list\n%s\nobjects %v\nfsck\n%s", list, objs, fsck)
	}
	if !strings.Contains(fsck, "ok") {
		t.Errorf("fsck:\n%s", fsck)
	}
}

// bigTempFile reports whether an object being written has passed 1 MiB:
// a good part of the document is in the vault, encrypted.
func bigTempFile(dir string) bool {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && info.Size() > 1<<20 {
			return true
		}
	}
	return false
}

// TestCrash_KillNineAfterTheShred kills "sanctuary case shred" with
// SIGKILL once its keys are destroyed but before its custody event is
// appended: the next start logs the shred, once.
func TestCrash_KillNineAfterTheShred(t *testing.T) {
	s := newSanctuary(t, "")
	ref := strings.TrimSpace(s.ok("case", "new", "--given", "Pavel", "--assignee", tester))
	doc := filepath.Join(t.TempDir(), "doc.txt")
	os.WriteFile(doc, []byte("a fictional summons"), 0o600)
	s.ok("evidence", "add", "--case", ref, "--title", "Summons (fictional)", doc)
	cmd := s.child(nil, "case", "shred", ref, "--confirm", ref)
	cmd.Env = append(cmd.Env, "SANCTUARY_TEST_KILL_AT=shredded")
	if err := cmd.Run(); !killedBySignal(err) {
		t.Fatalf("the child was not killed after the shred: %v", err)
	}
	// fsck's own start settles it: the log then holds the ingest and the
	// shred, both recorded, and a second start finds nothing to do.
	for range 2 {
		if out := s.ok("fsck", "--grace", "0s"); !strings.Contains(out, "log: 2 entries, 2 recorded events checked") ||
			strings.Contains(out, "not recorded") {
			t.Errorf("fsck after the crash:\n%s", out)
		}
	}
	s.fails(4, "key was destroyed", "evidence", "get", "--case", ref, "1", "--out", filepath.Join(t.TempDir(), "x"))
}
