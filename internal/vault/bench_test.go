package vault_test

import (
	"io"
	"testing"

	"github.com/sanctuary-platform/sanctuary/internal/vault"
)

// randomReader yields n random-looking bytes without holding them.
type randomReader struct{ n int64 }

func (r *randomReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.n {
		p = p[:r.n]
	}
	r.n -= int64(len(p))
	return len(p), nil // the buffer's content is whatever it held: cheap and opaque enough
}

// BenchmarkPut stores 256 MiB objects: read, SHA-256, age encryption,
// SHA-256 of the ciphertext, write, fsync, rename.
func BenchmarkPut(b *testing.B) {
	dir := b.TempDir()
	s, err := vault.OpenStore(dir)
	if err != nil {
		b.Fatal(err)
	}
	k, _ := vault.NewCaseKey()
	const size = 256 << 20
	b.SetBytes(size)
	for b.Loop() {
		p, err := s.Put(&randomReader{size}, k.Recipient())
		if err != nil {
			b.Fatal(err)
		}
		s.Remove(p.ObjectID)
	}
}
