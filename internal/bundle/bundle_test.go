package bundle

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

func TestClean(t *testing.T) {
	for in, want := range map[string]string{"plain": "plain", "a\x1b[31mb": `a\x1b[31mb`, "Повестка": "Повестка", "a\nb": `a\nb`} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestVerifyInclusion checks our RFC 6962 verifier against x/mod's proofs
// for every leaf of trees of several sizes, and that it refuses a proof
// for the wrong leaf or index.
func TestVerifyInclusion(t *testing.T) {
	for _, size := range []int64{1, 2, 3, 7, 8, 9, 100} {
		var stored []tlog.Hash
		for i := range size {
			hs, err := tlog.StoredHashes(i, []byte(fmt.Sprint("entry ", i)), tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
				out := make([]tlog.Hash, len(idx))
				for j, x := range idx {
					out[j] = stored[x]
				}
				return out, nil
			}))
			if err != nil {
				t.Fatal(err)
			}
			stored = append(stored, hs...)
		}
		reader := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
			out := make([]tlog.Hash, len(idx))
			for j, x := range idx {
				out[j] = stored[x]
			}
			return out, nil
		})
		root, err := tlog.TreeHash(size, reader)
		if err != nil {
			t.Fatal(err)
		}
		for i := range size {
			p, err := tlog.ProveRecord(size, i, reader)
			if err != nil {
				t.Fatal(err)
			}
			path := make([][32]byte, len(p))
			for j := range p {
				path[j] = p[j]
			}
			leaf := leafHash([]byte(fmt.Sprint("entry ", i)))
			if !verifyInclusion(i, size, leaf, path, root) {
				t.Errorf("size %d leaf %d: a valid proof is refused", size, i)
			}
			if verifyInclusion(i, size, leafHash([]byte("forged")), path, root) {
				t.Errorf("size %d leaf %d: a forged leaf is accepted", size, i)
			}
			if size > 1 && verifyInclusion((i+1)%size, size, leaf, path, root) {
				t.Errorf("size %d leaf %d: a wrong index is accepted", size, i)
			}
		}
	}
}

// FuzzParseProof: no panic, and what parses re-encodes to the same bytes.
func FuzzParseProof(f *testing.F) {
	h := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	f.Add([]byte("c2sp.org/tlog-proof@v1\nindex 3\n" + h + "\n\norigin\n4\nroot\n"))
	f.Add([]byte("c2sp.org/tlog-proof@v1\nindex -1\n\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := parseProof(b)
		if err != nil {
			return
		}
		var out strings.Builder
		fmt.Fprintf(&out, "c2sp.org/tlog-proof@v1\nindex %d\n", p.index)
		for _, x := range p.path {
			out.WriteString(base64.StdEncoding.EncodeToString(x[:]) + "\n")
		}
		out.WriteString("\n")
		out.Write(p.checkpoint)
		if out.String() != string(b) {
			t.Fatalf("%q parses but is not canonical", b)
		}
	})
}

// FuzzVerifyZip feeds arbitrary bytes to the verifier as a zip: it must
// not panic, and nothing it was not given by a log can verify.
func FuzzVerifyZip(f *testing.F) {
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		rep, err := VerifyZip(bytes.NewReader(b), int64(len(b)), Options{})
		if err == nil && rep.OK {
			t.Fatalf("random bytes verified: %+v", rep)
		}
	})
}

// BenchmarkVerifyInclusion checks one inclusion proof in a log of about a
// million entries (20 hashes).
func BenchmarkVerifyInclusion(b *testing.B) {
	const size = 1 << 20
	var path [][32]byte
	for i := range 20 {
		path = append(path, [32]byte{byte(i)})
	}
	leaf := leafHash([]byte("event"))
	// The root the path leads to, computed once.
	fn, sn, r := int64(12345), int64(size-1), leaf
	for _, p := range path {
		if fn&1 == 1 || fn == sn {
			r = nodeHash(p, r)
			for fn&1 == 0 && fn != 0 {
				fn, sn = fn>>1, sn>>1
			}
		} else {
			r = nodeHash(r, p)
		}
		fn, sn = fn>>1, sn>>1
	}
	for b.Loop() {
		if !verifyInclusion(12345, size, leaf, path, r) {
			b.Fatal("does not verify")
		}
	}
}
