package vault

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"filippo.io/age"
)

// Store is a directory of encrypted objects:
//
//	objects/ab/ab12…ef.age   an object, named by a random ID
//	tmp/put-*                an object being written (never plaintext)
type Store struct {
	dir string
	// fail is asked at every step of a Put and may make it fail there.
	fail func(step string) error
}

// SetFaultHook makes every Put ask fail at each step (StepCreate ...
// StepSyncDir) and stop there with its error, as a crash would. Crash
// tests use it; nil removes it.
func (s *Store) SetFaultHook(fail func(step string) error) { s.fail = fail }

// OpenStore opens (creating if needed) the object store in dir.
func OpenStore(dir string) (*Store, error) {
	for _, d := range []string{dir, filepath.Join(dir, "objects"), filepath.Join(dir, "tmp")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("vault: create %s: %w", d, err)
		}
	}
	return &Store{dir: dir}, nil
}

// Put is the result of storing an object.
type Put struct {
	PlainSHA256 string // hex, of the document as given
	ObjectID    string // its name: 32 random bytes in hex
	Size        int64  // plaintext bytes
	CipherSize  int64
}

// The steps of a Put, in order; a crash can happen between any two.
const (
	StepCreate  = "create"
	StepWrite   = "write"
	StepSync    = "sync"
	StepRename  = "rename"
	StepSyncDir = "sync-dir"
)

// Put encrypts everything r yields to the recipient and stores it, in one
// pass with constant memory. Only ciphertext is written; the object
// appears under its final name only once it is complete and synced to
// disk (write to tmp/, fsync, rename, fsync the directory), so a crash
// leaves either the whole object or at most a temporary file, which Sweep
// removes.
func (s *Store) Put(r io.Reader, recipient string) (Put, error) {
	rcpt, err := age.ParseHybridRecipient(recipient)
	if err != nil {
		return Put{}, fmt.Errorf("vault: bad case recipient: %w", err)
	}
	if err := s.step(StepCreate); err != nil {
		return Put{}, err
	}
	tmp, err := os.CreateTemp(filepath.Join(s.dir, "tmp"), "put-*")
	if err != nil {
		return Put{}, fmt.Errorf("vault: create a temporary object: %w", err)
	}
	p, err := s.write(tmp, r, rcpt)
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return Put{}, err
	}
	if err := s.place(tmp.Name(), p.ObjectID); err != nil {
		os.Remove(tmp.Name())
		return Put{}, err
	}
	return p, nil
}

// copyBuffer is the size of the reads from the source: large enough that
// hashing and encryption run in big steps, small enough to stay constant.
const copyBuffer = 1 << 20

func (s *Store) write(tmp *os.File, r io.Reader, rcpt age.Recipient) (Put, error) {
	id, err := newObjectID()
	if err != nil {
		return Put{}, err
	}
	sf := newSyncingFile(tmp)
	res, err := encryptPipeline(r, sf, rcpt)
	sf.stop()
	if err != nil {
		return Put{}, fmt.Errorf("vault: %w", err)
	}
	if err := s.step(StepWrite); err != nil {
		return Put{}, err
	}
	if err := s.step(StepSync); err != nil {
		return Put{}, err
	}
	if err := errors.Join(tmp.Sync(), tmp.Close()); err != nil {
		return Put{}, fmt.Errorf("vault: sync the object: %w", err)
	}
	return Put{PlainSHA256: hexSum(res.plain), ObjectID: id, Size: res.n, CipherSize: res.cipherN}, nil
}

// place renames the finished temporary file to its final name and syncs
// the directory, so that the name survives a crash.
func (s *Store) place(tmp, id string) error {
	final := s.path(id)
	if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return fmt.Errorf("vault: %w", err)
	}
	if err := s.step(StepRename); err != nil {
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("vault: place the object: %w", err)
	}
	if err := s.step(StepSyncDir); err != nil {
		return err
	}
	return syncDir(filepath.Dir(final))
}

func (s *Store) step(name string) error {
	if s.fail != nil {
		return s.fail(name)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("vault: open %s: %w", dir, err)
	}
	return errors.Join(d.Sync(), d.Close())
}

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

// newObjectID draws an object's name. It is random, not the hash of the
// ciphertext: naming by hash would take a third pass over every byte,
// and age's STREAM already authenticates every chunk, while the custody
// log's commitment binds the plaintext (docs/evidence.md).
func newObjectID() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("vault: object ID: %w", err)
	}
	return hex.EncodeToString(b), nil
}

var hashForm = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (s *Store) path(id string) string {
	return filepath.Join(s.dir, "objects", id[:2], id+".age")
}

// Object is an opened object: a random-access reader over its plaintext.
type Object struct {
	io.ReaderAt
	Size int64
	file *os.File
}

// Close closes the object's file.
func (o *Object) Close() error { return o.file.Close() }

// Open opens the object stored under id for reading with the case
// key. Reads at any offset decrypt only the chunks they touch, so a video
// can be served by HTTP range requests without a temporary file.
func (s *Store) Open(id string, k *CaseKey) (*Object, error) {
	if !hashForm.MatchString(id) {
		return nil, fmt.Errorf("vault: %q is not an object name", id)
	}
	f, err := os.Open(s.path(id))
	if err != nil {
		return nil, fmt.Errorf("vault: open object: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	ra, size, err := age.DecryptReaderAt(f, st.Size(), k.id)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("vault: decrypt object %s: %w", id[:12], err)
	}
	return &Object{ReaderAt: ra, Size: size, file: f}, nil
}

// Has reports whether an object is stored.
func (s *Store) Has(id string) bool {
	if !hashForm.MatchString(id) {
		return false
	}
	_, err := os.Stat(s.path(id))
	return err == nil
}

// Remove deletes an object (an orphan that no item refers to).
func (s *Store) Remove(id string) error {
	if !hashForm.MatchString(id) {
		return fmt.Errorf("vault: %q is not an object name", id)
	}
	return os.Remove(s.path(id))
}

// List returns the names (IDs) of every stored object.
func (s *Store) List() ([]string, error) {
	var out []string
	err := filepath.WalkDir(filepath.Join(s.dir, "objects"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if name := strings.TrimSuffix(d.Name(), ".age"); hashForm.MatchString(name) {
			out = append(out, name)
		}
		return nil
	})
	return out, err
}

// Sweep removes temporary files left by interrupted Puts that have not
// been written to for longer than idle, and returns how many it removed. A
// Put in progress writes all the time, so another process sweeping does not
// take its file away.
func (s *Store) Sweep(idle time.Duration) (int, error) {
	entries, err := os.ReadDir(filepath.Join(s.dir, "tmp"))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || time.Since(info.ModTime()) < idle {
			continue
		}
		if err := os.Remove(filepath.Join(s.dir, "tmp", e.Name())); err == nil {
			n++
		}
	}
	return n, nil
}

// Age returns how long ago an object was written (zero if it is missing).
func (s *Store) Age(id string) time.Duration {
	if !hashForm.MatchString(id) {
		return 0
	}
	fi, err := os.Stat(s.path(id))
	if err != nil {
		return 0
	}
	return time.Since(fi.ModTime())
}

// SourceError is a failure to read what was being stored (an upload that
// broke off, a multipart part that ended without its closing boundary:
// any error of the source but io.EOF), as opposed to a failure of the
// vault itself. A Put that returns one has stored nothing.
type SourceError struct{ Err error }

func (e *SourceError) Error() string { return "reading the document: " + e.Err.Error() }
func (e *SourceError) Unwrap() error { return e.Err }
