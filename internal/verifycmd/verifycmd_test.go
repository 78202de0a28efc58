package verifycmd

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
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

// TestMain_Verdicts runs the command on the committed sample bundle (made
// by scripts/sample-bundle.sh): VERIFIED only with the organisation's key
// or its fingerprint, CONSISTENT ONLY without one, NOT VERIFIED with
// another log's key.
func TestMain_Verdicts(t *testing.T) {
	const dir = "../bundle/specverify/testdata/sample-bundle"
	raw, err := os.ReadFile("../bundle/specverify/testdata/sample.vkey")
	if err != nil {
		t.Fatal(err)
	}
	vkey := strings.TrimSpace(string(raw))
	file, _ := os.ReadFile(filepath.Join(dir, "log.vkey"))
	sum := sha256.Sum256(file)
	other := "sanctuary.custody/0000000000000000+00000000+AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-vkey", vkey, dir}, Verified, "RESULT: VERIFIED: all 2 items"},
		{[]string{"-key-sha256", bundleGroupHex(hex.EncodeToString(sum[:])), dir}, Verified, "it is the key you gave"},
		{[]string{dir}, Consistent, "RESULT: CONSISTENT ONLY, NOT VERIFIED"},
		{[]string{"-key-sha256", strings.Repeat("ab", 32), dir}, Failed, "RESULT: NOT VERIFIED: log.vkey's fingerprint is not the one you gave"},
		{[]string{"-vkey", other, dir}, Failed, "NOT THE KEY YOU GAVE"},
	} {
		var out, errb bytes.Buffer
		code := Main(tc.args, &out, &errb)
		if code != tc.code || !strings.Contains(out.String(), tc.want) {
			t.Errorf("%v: exit %d, want %d and %q:\n%s%s", tc.args[:len(tc.args)-1], code, tc.code, tc.want, out.String(), errb.String())
		}
		if tc.code != Verified && regexp.MustCompile(`(?m)^items/\d+ VERIFIED`).MatchString(out.String()) {
			t.Errorf("%v: an item says VERIFIED:\n%s", tc.args, out.String())
		}
	}
}

func bundleGroupHex(h string) string { return strings.ToUpper(h[:8]) + " " + h[8:] }
