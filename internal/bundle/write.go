package bundle

import (
	"archive/zip"
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

// Writer writes a bundle, file by file, and finishes it with its
// manifest.
type Writer struct {
	sink     sink
	manifest map[string]string
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

// Add writes a file of the bundle from r.
func (w *Writer) Add(name string, r io.Reader) error {
	if _, dup := w.manifest[name]; dup || name == ManifestFile {
		return fmt.Errorf("bundle: %s written twice", name)
	}
	f, err := w.sink.create(name)
	if err != nil {
		return err
	}
	h := sha256.New()
	if _, err := io.CopyBuffer(io.MultiWriter(f, h), r, make([]byte, 1<<20)); err != nil {
		f.Close()
		return fmt.Errorf("bundle: write %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("bundle: write %s: %w", name, err)
	}
	w.manifest[name] = hex.EncodeToString(h.Sum(nil))
	return nil
}

// AddBytes writes a small file of the bundle.
func (w *Writer) AddBytes(name string, b []byte) error {
	return w.Add(name, strings.NewReader(string(b)))
}

// Close writes VERIFY.txt and the manifest, and finishes the bundle.
func (w *Writer) Close() error {
	if err := w.AddBytes(VerifyFile, []byte(verifyText)); err != nil {
		return err
	}
	names := make([]string, 0, len(w.manifest))
	for n := range w.manifest {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "%s  %s\n", w.manifest[n], n)
	}
	f, err := w.sink.create(ManifestFile)
	if err != nil {
		return err
	}
	_, werr := io.WriteString(f, b.String())
	return errors.Join(werr, f.Close(), w.sink.close())
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
