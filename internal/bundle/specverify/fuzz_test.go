package specverify

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzVerifyZip: arbitrary bytes as a bundle zip never panic the
// verifier, and nothing but a log's own bundle can be consistent.
func FuzzVerifyZip(f *testing.F) {
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(t.TempDir(), "bundle.zip")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		if r := Verify(p, "", ""); r.Consistent || r.Verified {
			t.Fatalf("random bytes are consistent: %+v", r)
		}
	})
}
