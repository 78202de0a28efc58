package bundle

import (
	"archive/zip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode"
)

// Limits that keep a hostile bundle from exhausting the verifier.
const (
	maxFiles     = 100_000
	maxSmallFile = 1 << 20 // manifest, item.json, events, proofs, checkpoint, key
)

// entry is one file of a bundle, opened on demand.
type entry struct {
	size int64
	open func() (io.ReadCloser, error)
}

// archive is a bundle's files by path, after the unsafe ones were refused,
// and the folders it names.
type archive struct {
	files    map[string]*entry
	dirs     map[string]bool
	problems []string
}

func newArchive() *archive { return &archive{files: map[string]*entry{}, dirs: map[string]bool{}} }

func (a *archive) refuse(format string, args ...any) {
	a.problems = append(a.problems, fmt.Sprintf(format, args...))
}

// safeName reports what is wrong with a file name from a bundle, or "".
func safeName(name string) string {
	switch {
	case name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, `\`) || (len(name) > 1 && name[1] == ':'):
		return "is an absolute or foreign path"
	case path.Clean(name) != name || name == ".." || strings.HasPrefix(name, "../") || strings.Contains(name, "/../"):
		return "leaves the bundle (zip-slip) or is not a clean path"
	case strings.IndexFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0:
		return "contains control characters"
	case len(name) > 300:
		return "is too long"
	}
	return ""
}

// openDir reads a bundle directory, refusing symbolic links and anything
// but regular files and directories.
func openDir(dir string) (*archive, error) {
	a := newArchive()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == "." {
			return err
		}
		name := filepath.ToSlash(rel)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			a.refuse("%s: is a symbolic link", SafeName(name))
			return nil
		case d.IsDir():
			a.addDir(name)
			return nil
		case !d.Type().IsRegular():
			a.refuse("%s: is not a regular file", SafeName(name))
			return nil
		}
		return a.add(name, func() (int64, func() (io.ReadCloser, error), error) {
			info, err := d.Info()
			if err != nil {
				return 0, nil, err
			}
			return info.Size(), func() (io.ReadCloser, error) { return os.Open(p) }, nil
		})
	})
	return a, err
}

func (a *archive) addDir(name string) {
	if msg := safeName(name); msg != "" {
		a.refuse("%s/: %s", SafeName(name), msg)
		return
	}
	if a.dirs[name] {
		a.refuse("%s/: appears twice", SafeName(name))
	}
	a.dirs[name] = true
}

func (a *archive) add(name string, stat func() (int64, func() (io.ReadCloser, error), error)) error {
	if msg := safeName(name); msg != "" {
		a.refuse("%s: %s", SafeName(name), msg)
		return nil
	}
	if _, dup := a.files[name]; dup {
		a.refuse("%s: appears twice", SafeName(name))
		return nil
	}
	if len(a.files) >= maxFiles {
		return fmt.Errorf("more than %d files", maxFiles)
	}
	size, open, err := stat()
	if err != nil {
		return err
	}
	a.files[name] = &entry{size: size, open: open}
	return nil
}

// openZip reads a bundle zip, refusing links, paths outside the bundle and
// duplicate names. Its reads are bounded by the sizes the zip declares.
func openZip(r io.ReaderAt, size int64) (*archive, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("not a zip file: %w", err)
	}
	a := newArchive()
	for _, f := range zr.File {
		mode := f.Mode()
		switch {
		case mode&fs.ModeSymlink != 0:
			a.refuse("%s: is a symbolic link", SafeName(f.Name))
			continue
		case mode.IsDir() || strings.HasSuffix(f.Name, "/"):
			a.addDir(strings.TrimSuffix(f.Name, "/"))
			continue
		case !mode.IsRegular():
			a.refuse("%s: is not a regular file", SafeName(f.Name))
			continue
		}
		f := f
		err := a.add(f.Name, func() (int64, func() (io.ReadCloser, error), error) {
			return int64(f.UncompressedSize64), func() (io.ReadCloser, error) {
				rc, err := f.Open()
				if err != nil {
					return nil, err
				}
				// The declared size bounds the read, against zip bombs.
				return readCloser{io.LimitReader(rc, int64(f.UncompressedSize64)+1), rc}, nil
			}, nil
		})
		if err != nil {
			return nil, err
		}
	}
	return a, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

// read returns a small file of the bundle, of at most limit bytes.
func (a *archive) read(name string, limit int64) ([]byte, error) {
	e, ok := a.files[name]
	if !ok {
		return nil, fmt.Errorf("%s is missing", name)
	}
	if e.size > limit {
		return nil, fmt.Errorf("%s is too large", name)
	}
	rc, err := e.open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s cannot be read: %w", name, err)
	}
	if int64(len(b)) != e.size {
		return nil, fmt.Errorf("%s is not the size its archive says", name)
	}
	return b, nil
}
