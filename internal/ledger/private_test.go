package ledger_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/ledger"
)

// TestOpen_MakesTheLogPrivate opens a new log, and then one left open to
// others by an older version (or a loose umask): afterwards nothing in
// the log's directory is open to anyone but its owner.
func TestOpen_MakesTheLogPrivate(t *testing.T) {
	dir := t.TempDir()
	key, err := custody.CreateKeyFile(filepath.Join(dir, "log.key"))
	if err != nil {
		t.Fatal(err)
	}
	logDir := filepath.Join(dir, "log")
	l, err := ledger.Open(logDir, key)
	if err != nil {
		t.Fatal(err)
	}
	wantPrivate(t, logDir)
	for i := range 3 {
		if _, _, err := l.Append(context.Background(), event(i)); err != nil {
			t.Fatal(err)
		}
	}
	l.Close()

	walk(t, logDir, func(p string, d fs.DirEntry) { // as an older Sanctuary left it
		mode := fs.FileMode(0o644)
		if d.IsDir() {
			mode = 0o755
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	})
	l, err = ledger.Open(logDir, key)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	wantPrivate(t, logDir)
	if n, err := l.Size(context.Background()); err != nil || n != 3 {
		t.Errorf("after tightening the log holds %d entries, %v", n, err)
	}
}

func wantPrivate(t *testing.T, dir string) {
	t.Helper()
	walk(t, dir, func(p string, d fs.DirEntry) {
		info, err := d.Info()
		if err != nil {
			t.Fatal(err)
		}
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", p, info.Mode().Perm(), want)
		}
	})
}

func walk(t *testing.T, dir string, f func(p string, d fs.DirEntry)) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil {
			f(p, d)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
