package verifycmd

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMain_UsageAndFailures(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Main(nil, &out, &errb); code != 2 || !strings.Contains(errb.String(), "usage: sanctuary-verify") {
		t.Errorf("no argument: %d %q", code, errb.String())
	}
	errb.Reset()
	if code := Main([]string{"/nonexistent/bundle"}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "sanctuary-verify: error:") {
		t.Errorf("missing bundle: %d %q", code, errb.String())
	}
	// An empty directory is no bundle: every check fails, and it says so.
	out.Reset()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "\x1b[2Jevil"), []byte("x"), 0o600)
	if code := Main([]string{dir}, &out, &errb); code != 1 || !strings.Contains(out.String(), "RESULT: NOT VERIFIED") {
		t.Errorf("empty bundle: %d\n%s", code, out.String())
	}
	if strings.Contains(out.String(), "\x1b") {
		t.Errorf("a terminal escape from the bundle reached the output:\n%q", out.String())
	}
}
