package bundle

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Writer writes a bundle in two parts. First the content — documents,
// descriptions, the events before the export, the log key — whose hashes
// go into MANIFEST; Seal writes MANIFEST and returns its SHA-256, which the
// export events commit to. Then what can only exist after those events
// are logged: the export events, the inclusion proofs and the checkpoint.
type Writer struct {
	sink     sink
	manifest map[string]string
	sealed   bool
}

type sink interface {
	create(name string) (io.WriteCloser, error)
	close() error
}

// NewDirWriter writes a bundle into dir, which must not exist yet.
func NewDirWriter(dir string) (*Writer, error) {
	if err := os.Mkdir(dir, 0o700); err != nil {
		return nil, fmt.Errorf("bundle: create %s: %w", dir, err)
	}
	return &Writer{sink: dirSink(dir), manifest: map[string]string{}}, nil
}

// NewZipWriter writes a bundle as a zip file to w. Files are stored
// uncompressed: documents are mostly compressed already, and a clerk's
// tools open a stored zip everywhere.
func NewZipWriter(w io.Writer) *Writer {
	return &Writer{sink: &zipSink{zw: zip.NewWriter(w)}, manifest: map[string]string{}}
}

// Add writes a content file of the bundle from r and returns its SHA-256
// (hex), which MANIFEST lists.
func (w *Writer) Add(name string, r io.Reader) (string, error) {
	if w.sealed {
		return "", fmt.Errorf("bundle: %s written after MANIFEST", name)
	}
	if p, err := classify(name); err != nil || !p.kind.inManifest() {
		return "", fmt.Errorf("bundle: %s is not a content file of the format", name)
	}
	if _, dup := w.manifest[name]; dup {
		return "", fmt.Errorf("bundle: %s written twice", name)
	}
	sum, err := w.write(name, r)
	if err != nil {
		return "", err
	}
	w.manifest[name] = sum
	return sum, nil
}

// AddBytes writes a small content file of the bundle.
func (w *Writer) AddBytes(name string, b []byte) error {
	_, err := w.Add(name, bytes.NewReader(b))
	return err
}

func (w *Writer) write(name string, r io.Reader) (string, error) {
	f, err := w.sink.create(name)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	if _, err := io.CopyBuffer(io.MultiWriter(f, h), r, make([]byte, 1<<20)); err != nil {
		f.Close()
		return "", fmt.Errorf("bundle: write %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("bundle: write %s: %w", name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Seal writes VERIFY.txt and MANIFEST, which closes the content, and
// returns the SHA-256 of MANIFEST (hex).
func (w *Writer) Seal() (string, error) {
	if err := w.AddBytes(VerifyFile, []byte(verifyText)); err != nil {
		return "", err
	}
	m := Manifest(w.manifest)
	if _, err := w.write(ManifestFile, bytes.NewReader(m)); err != nil {
		return "", err
	}
	w.sealed = true
	sum := sha256.Sum256(m)
	return hex.EncodeToString(sum[:]), nil
}

// AddSealed writes a file that MANIFEST does not list: an export event, a
// proof or the checkpoint, once the bundle is sealed.
func (w *Writer) AddSealed(name string, b []byte) error {
	if !w.sealed {
		return fmt.Errorf("bundle: %s written before MANIFEST", name)
	}
	p, err := classify(name)
	if err != nil || (p.kind != kindItemEvent && p.kind != kindItemProof && p.kind != kindCaseProof && p.kind != kindCheckpoint) {
		return fmt.Errorf("bundle: %s is not a file written after MANIFEST", name)
	}
	if _, dup := w.manifest[name]; dup {
		return fmt.Errorf("bundle: %s written twice", name)
	}
	w.manifest[name] = ""
	_, err = w.write(name, bytes.NewReader(b))
	return err
}

// Close finishes the bundle.
func (w *Writer) Close() error {
	if !w.sealed {
		return errors.New("bundle: closed before MANIFEST was written")
	}
	return w.sink.close()
}

// Manifest encodes MANIFEST from the content files' hashes: one line
// "sha256  path\n" per file (two spaces, as sha256sum writes), sorted by
// path byte by byte. Entries with an empty hash are left out.
func Manifest(sums map[string]string) []byte {
	names := make([]string, 0, len(sums))
	for n, h := range sums {
		if h != "" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "%s  %s\n", sums[n], n)
	}
	return []byte(b.String())
}

type dirSink string

func (d dirSink) create(name string) (io.WriteCloser, error) {
	p := filepath.Join(string(d), filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	return os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
}

func (d dirSink) close() error { return nil }

type zipSink struct{ zw *zip.Writer }

func (z *zipSink) create(name string) (io.WriteCloser, error) {
	w, err := z.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	return nopCloser{w}, nil
}

func (z *zipSink) close() error { return z.zw.Close() }

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
