package vault_test

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sanctuary-platform/sanctuary/internal/vault"
)

func newStore(t *testing.T) (*vault.Store, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "vault")
	s, err := vault.OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s, dir
}

func caseKey(t testing.TB) *vault.CaseKey {
	t.Helper()
	k, err := vault.NewCaseKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func random(t testing.TB, n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func TestStore_RoundTripAndRanges(t *testing.T) {
	s, _ := newStore(t)
	k := caseKey(t)
	for _, size := range []int{0, 1, 64 << 10, 64<<10 + 1, 3<<20 + 17} {
		plain := random(t, size)
		p, err := s.Put(bytes.NewReader(plain), k.Recipient())
		if err != nil {
			t.Fatal(err)
		}
		if p.Size != int64(size) || !s.Has(p.ObjectID) {
			t.Fatalf("size %d: put %+v", size, p)
		}
		o, err := s.Open(p.ObjectID, k)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(io.NewSectionReader(o, 0, o.Size))
		if !bytes.Equal(got, plain) {
			t.Fatalf("size %d: read back differs", size)
		}
		if size > 100 {
			off := int64(size / 3)
			part := make([]byte, 50)
			if _, err := o.ReadAt(part, off); err != nil || !bytes.Equal(part, plain[off:off+50]) {
				t.Errorf("size %d: range read at %d: %v", size, off, err)
			}
		}
		o.Close()
	}
}

// TestStore_NamesAreRandom: an object's name is not derived from its
// content, so two stores of the same document differ, and the name is
// not the ciphertext's hash.
func TestStore_NamesAreRandom(t *testing.T) {
	s, dir := newStore(t)
	k := caseKey(t)
	a, _ := s.Put(strings.NewReader("the same fictional summons"), k.Recipient())
	b, _ := s.Put(strings.NewReader("the same fictional summons"), k.Recipient())
	c, _ := os.ReadFile(filepath.Join(dir, "objects", a.ObjectID[:2], a.ObjectID+".age"))
	sum := sha256.Sum256(c)
	if a.ObjectID == b.ObjectID || len(a.ObjectID) != 64 || a.ObjectID == hex.EncodeToString(sum[:]) {
		t.Errorf("names %s %s", a.ObjectID, b.ObjectID)
	}
}

func TestStore_WrongKeyAndTampering(t *testing.T) {
	s, dir := newStore(t)
	k := caseKey(t)
	p, err := s.Put(strings.NewReader("court summons, fictional"), k.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(p.ObjectID, caseKey(t)); err == nil {
		t.Error("another case's key opened the object")
	}
	path := filepath.Join(dir, "objects", p.ObjectID[:2], p.ObjectID+".age")
	b, _ := os.ReadFile(path)
	b[len(b)-5] ^= 1
	os.WriteFile(path, b, 0o600)
	if o, err := s.Open(p.ObjectID, k); err == nil {
		_, err = io.ReadAll(io.NewSectionReader(o, 0, o.Size))
		if err == nil {
			t.Error("a flipped bit decrypted without error")
		}
	}
}

// TestStore_NoPlaintextOnDisk writes a distinctive document and searches
// every file of the store for it.
func TestStore_NoPlaintextOnDisk(t *testing.T) {
	s, dir := newStore(t)
	canary := bytes.Repeat([]byte("CANARY-Повестка-Vorladung-"), 5000)
	if _, err := s.Put(bytes.NewReader(canary), caseKey(t).Recipient()); err != nil {
		t.Fatal(err)
	}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(path)
		if bytes.Contains(b, []byte("CANARY-")) {
			t.Errorf("%s holds plaintext", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestStore_FailureAtEveryStep makes a Put fail at each step, as a crash
// would, and checks that no object becomes visible.
func TestStore_FailureAtEveryStep(t *testing.T) {
	for _, step := range []string{vault.StepCreate, vault.StepWrite, vault.StepSync, vault.StepRename} {
		t.Run(step, func(t *testing.T) {
			s, _ := newStore(t)
			boom := errors.New("injected crash")
			s.SetFaultHook(func(at string) error {
				if at == step {
					return boom
				}
				return nil
			})
			_, err := s.Put(strings.NewReader("fictional evidence"), caseKey(t).Recipient())
			if !errors.Is(err, boom) {
				t.Fatalf("err = %v", err)
			}
			if objs, _ := s.List(); len(objs) != 0 {
				t.Errorf("an object is visible after a failure at %s: %v", step, objs)
			}
		})
	}
	// A failure after the rename leaves the complete object: it was
	// already in place, whole.
	s, _ := newStore(t)
	s.SetFaultHook(func(at string) error {
		if at == vault.StepSyncDir {
			return errors.New("crash after rename")
		}
		return nil
	})
	k := caseKey(t)
	s.Put(strings.NewReader("fictional"), k.Recipient())
	objs, _ := s.List()
	if len(objs) != 1 {
		t.Fatalf("after a crash past the rename: %v", objs)
	}
	o, err := s.Open(objs[0], k)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if got, err := io.ReadAll(io.NewSectionReader(o, 0, o.Size)); err != nil || string(got) != "fictional" {
		t.Errorf("after a crash past the rename the object reads %q, %v", got, err)
	}
}

func TestKeys_WrapUnwrapAndExport(t *testing.T) {
	dir := t.TempDir()
	vk, err := vault.CreateKeyFile(filepath.Join(dir, "vault.key"))
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(filepath.Join(dir, "vault.key")); fi.Mode().Perm() != 0o600 {
		t.Errorf("vault key mode %v", fi.Mode().Perm())
	}
	if _, err := vault.CreateKeyFile(filepath.Join(dir, "vault.key")); err == nil {
		t.Error("an existing vault key was overwritten")
	}
	again, err := vault.LoadKeyFile(filepath.Join(dir, "vault.key"))
	if err != nil {
		t.Fatal(err)
	}
	k := caseKey(t)
	wrapped, err := vk.Wrap(k)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(wrapped, k.Export("x")[80:]) {
		t.Error("the wrapped key contains the key")
	}
	back, err := again.Unwrap(wrapped)
	if err != nil || back.Recipient() != k.Recipient() {
		t.Fatalf("unwrap: %v", err)
	}
	other, _ := vault.CreateKeyFile(filepath.Join(dir, "other.key"))
	if _, err := other.Unwrap(wrapped); err == nil {
		t.Error("another vault key unwrapped the case key")
	}
	if _, err := vk.Unwrap(nil); !errors.Is(err, vault.ErrShredded) {
		t.Errorf("unwrap of a shredded key: %v", err)
	}
	if !strings.Contains(string(k.Export("SN-2026-0001")), "AGE-SECRET-KEY-PQ-1") {
		t.Errorf("export: %s", k.Export("SN-2026-0001"))
	}
	pk, err := vault.PassphraseKey("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	w2, _ := pk.Wrap(k)
	if _, err := pk.Unwrap(w2); err != nil {
		t.Errorf("passphrase unwrap: %v", err)
	}
	if _, err := vault.PassphraseKey("short"); err == nil {
		t.Error("a short passphrase was accepted")
	}
}

// brokenSource yields its data, then fails with err instead of io.EOF,
// as a multipart part does when its closing boundary never came.
type brokenSource struct {
	data []byte
	err  error
}

func (b *brokenSource) Read(p []byte) (int, error) {
	if len(b.data) == 0 {
		return 0, b.err
	}
	n := copy(p, b.data)
	b.data = b.data[n:]
	return n, nil
}

// TestStore_SourceCutShort: a source that fails, even with
// io.ErrUnexpectedEOF, is not taken for the end of the document: the Put
// fails with a SourceError and leaves no object and no temporary file.
// Only io.EOF ends a document.
func TestStore_SourceCutShort(t *testing.T) {
	for _, size := range []int{0, 10, 1 << 20, 3<<20 + 5} {
		for _, cause := range []error{io.ErrUnexpectedEOF, errors.New("connection reset by peer")} {
			s, dir := newStore(t)
			_, err := s.Put(&brokenSource{data: random(t, size), err: cause}, caseKey(t).Recipient())
			var src *vault.SourceError
			if !errors.As(err, &src) || !errors.Is(err, cause) {
				t.Errorf("%d bytes, then %v: Put returned %v, want a SourceError of it", size, cause, err)
			}
			if objs, _ := s.List(); len(objs) != 0 {
				t.Errorf("%d bytes, then %v: the vault holds %v", size, cause, objs)
			}
			if tmp, _ := os.ReadDir(filepath.Join(dir, "tmp")); len(tmp) != 0 {
				t.Errorf("%d bytes, then %v: %d temporary files are left", size, cause, len(tmp))
			}
		}
	}
}
