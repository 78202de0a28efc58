package store

import (
	"bytes"
	"testing"

	"golang.org/x/crypto/chacha20poly1305"
)

func testAEAD(t testing.TB) aeadCipher {
	a, err := chacha20poly1305.NewX(bytes.Repeat([]byte{7}, chacha20poly1305.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestSeal_BoundToCase checks that a sealed value opens for its case only,
// and that a flipped bit anywhere in it is refused.
func TestSeal_BoundToCase(t *testing.T) {
	a := testAEAD(t)
	s, err := seal(a, caseAD(41), []byte("Тестов Павел"))
	if err != nil {
		t.Fatal(err)
	}
	if p, err := unseal(a, caseAD(41), s); err != nil || string(p) != "Тестов Павел" {
		t.Fatalf("unseal = %q, %v", p, err)
	}
	if _, err := unseal(a, caseAD(42), s); err == nil {
		t.Error("a value of case 41 opened as case 42's")
	}
	for i := range len(s) * 8 {
		b := bytes.Clone(s)
		b[i/8] ^= 1 << (i % 8)
		if _, err := unseal(a, caseAD(41), b); err == nil {
			t.Fatalf("bit %d flipped: the value still opened", i)
		}
	}
}

// FuzzUnseal checks that no stored bytes make unseal panic, and that only
// the genuine sealed value opens.
func FuzzUnseal(f *testing.F) {
	a := testAEAD(f)
	// A fixed nonce: the fuzzing workers rebuild this value and must agree.
	nonce := bytes.Repeat([]byte{3}, a.NonceSize())
	genuine := a.Seal(append([]byte{sealVersion}, nonce...), nonce, []byte("hello"), caseAD(1))
	f.Add(int64(1), genuine)
	f.Add(int64(2), genuine)
	f.Add(int64(1), genuine[:20])
	f.Add(int64(1), []byte{})
	f.Add(int64(-1), []byte{1})
	f.Fuzz(func(t *testing.T, caseID int64, b []byte) {
		p, err := unseal(a, caseAD(caseID), b)
		if err == nil && (caseID != 1 || !bytes.Equal(b, genuine) || string(p) != "hello") {
			t.Fatalf("forged value opened: case %d, %x → %q", caseID, b, p)
		}
	})
}
