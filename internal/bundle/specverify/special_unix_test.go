//go:build linux || darwin

package specverify

import (
	"path/filepath"
	"syscall"
	"testing"
)

func TestNamedPipeRefused(t *testing.T) {
	dir, vkey := sampleBundle(t)
	d := copyBundle(t, dir)
	if err := syscall.Mkfifo(filepath.Join(d, "items", "0001", "events", "99.event"), 0o600); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	r := Verify(d, vkey, "")
	if r.Consistent || !hasProblem(r, "not a regular file") {
		t.Fatalf("%+v", r)
	}
}
