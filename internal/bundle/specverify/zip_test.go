package specverify

import (
	"archive/zip"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// zipBundle writes the bundle directory src as a zip file, with explicit
// folder entries if dirs, then calls extra to add entries.
func zipBundle(t *testing.T, src string, dirs bool, extra func(w *zip.Writer)) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "bundle.zip")
	var buf strings.Builder
	w := zip.NewWriter(&buf)
	seenDir := map[string]bool{}
	for _, name := range bundleFiles(t, src) {
		if dirs {
			for p := pathDir(name); p != ""; p = pathDir(p) {
				if !seenDir[p] {
					seenDir[p] = true
					if _, err := w.Create(p + "/"); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		f, err := w.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(readF(t, src, name)); err != nil {
			t.Fatal(err)
		}
	}
	if extra != nil {
		extra(w)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	writeF(t, filepath.Dir(out), filepath.Base(out), []byte(buf.String()))
	return out
}

func addEntry(t *testing.T, w *zip.Writer, fh *zip.FileHeader, data string) {
	t.Helper()
	f, err := w.CreateHeader(fh)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte(data)); err != nil {
		t.Fatal(err)
	}
}

func TestZipSampleVerifies(t *testing.T) {
	dir, vkey := sampleBundle(t)
	for _, dirs := range []bool{false, true} {
		z := zipBundle(t, dir, dirs, nil)
		if r := Verify(z, vkey, ""); !r.Consistent || !r.Verified {
			t.Errorf("zip (folder entries %v): %+v", dirs, r)
		}
		if r := Verify(z, "", ""); !r.Consistent || r.Verified {
			t.Errorf("zip without key (folder entries %v): %+v", dirs, r)
		}
	}
}

// TestZipCaseFolder: a zip bundle without case events may not hold a
// folder entry case/ (nor case/events/); without it, it is consistent.
func TestZipCaseFolder(t *testing.T) {
	dir, _ := sampleBundle(t)
	d := copyBundle(t, dir)
	removeF(t, d, "case")
	forger := reforge(t, d, reforgeOpts{})
	if r := Verify(zipBundle(t, d, true, nil), forger, ""); !r.Verified {
		t.Fatalf("zip without case events: %+v", r)
	}
	for _, name := range []string{"case/", "case/events/"} {
		z := zipBundle(t, d, true, func(w *zip.Writer) { addEntry(t, w, &zip.FileHeader{Name: name}, "") })
		if r := Verify(z, forger, ""); r.Consistent || !hasProblem(r, "holds no case events") {
			t.Errorf("zip with an entry %s and no case events: %+v", name, r)
		}
	}
}

func TestZipForgeries(t *testing.T) {
	dir, vkey := sampleBundle(t)
	cases := []struct {
		name  string
		want  string
		extra func(t *testing.T, w *zip.Writer)
	}{
		{"zip-slip ../", "not clean", func(t *testing.T, w *zip.Writer) {
			addEntry(t, w, &zip.FileHeader{Name: "../evil"}, "x")
		}},
		{"zip-slip inside a name", "not clean", func(t *testing.T, w *zip.Writer) {
			addEntry(t, w, &zip.FileHeader{Name: "items/../../evil"}, "x")
		}},
		{"absolute name", "absolute", func(t *testing.T, w *zip.Writer) {
			addEntry(t, w, &zip.FileHeader{Name: "/etc/evil"}, "x")
		}},
		{"backslash separator", "backslash", func(t *testing.T, w *zip.Writer) {
			addEntry(t, w, &zip.FileHeader{Name: `items\0001\document`}, "x")
		}},
		{"empty name part", "not clean", func(t *testing.T, w *zip.Writer) {
			addEntry(t, w, &zip.FileHeader{Name: "items//0001"}, "x")
		}},
		{"a second MANIFEST entry", "more than once", func(t *testing.T, w *zip.Writer) {
			addEntry(t, w, &zip.FileHeader{Name: "MANIFEST"}, "forged\n")
		}},
		{"a second document entry", "more than once", func(t *testing.T, w *zip.Writer) {
			addEntry(t, w, &zip.FileHeader{Name: "items/0001/document"}, "forged")
		}},
		{"names differing only in case", "letter case", func(t *testing.T, w *zip.Writer) {
			addEntry(t, w, &zip.FileHeader{Name: "manifest"}, "x")
		}},
		{"symbolic link entry", "symbolic link", func(t *testing.T, w *zip.Writer) {
			fh := &zip.FileHeader{Name: "items/0001/events/99.event"}
			fh.SetMode(fs.ModeSymlink | 0o777)
			addEntry(t, w, fh, "../../../MANIFEST")
		}},
		{"device entry", "not a regular file", func(t *testing.T, w *zip.Writer) {
			fh := &zip.FileHeader{Name: "items/0001/events/99.event"}
			fh.SetMode(fs.ModeDevice | fs.ModeCharDevice | 0o666)
			addEntry(t, w, fh, "")
		}},
		{"unknown compression method", "compression method", func(t *testing.T, w *zip.Writer) {
			f, err := w.CreateRaw(&zip.FileHeader{Name: "items/0001/events/99.event", Method: 12})
			if err != nil {
				t.Fatal(err)
			}
			f.Write([]byte("BZh9"))
		}},
		{"non-ASCII name", "not printable ASCII", func(t *testing.T, w *zip.Writer) {
			addEntry(t, w, &zip.FileHeader{Name: "items/0\u043e\u043e1"}, "x")
		}},
		{"a top-level folder", "not a name a bundle may hold", func(t *testing.T, w *zip.Writer) {
			addEntry(t, w, &zip.FileHeader{Name: "bundle/MANIFEST"}, "x")
		}},
		{"file and folder of the same name", "", func(t *testing.T, w *zip.Writer) {
			addEntry(t, w, &zip.FileHeader{Name: "case/events/4.event/"}, "")
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			z := zipBundle(t, dir, false, func(w *zip.Writer) { c.extra(t, w) })
			r := Verify(z, vkey, "")
			if r.Consistent || r.Verified {
				t.Fatalf("forged zip accepted: %+v", r)
			}
			if c.want != "" && !hasProblem(r, c.want) {
				t.Errorf("no problem says %q:\n%s", c.want, strings.Join(r.Problems, "\n"))
			}
			for _, p := range r.Problems {
				if !isPrintableASCII(p) {
					t.Errorf("problem not print-safe: %q", p)
				}
			}
		})
	}
	t.Run("a corrupt document entry", func(t *testing.T) {
		z := zipBundle(t, dir, false, nil)
		b := readF(t, filepath.Dir(z), filepath.Base(z))
		// Stored entries would show the document's bytes; deflated ones
		// fail their CRC or inflation when a byte in the middle changes.
		b[len(b)/3] ^= 0x40
		writeF(t, filepath.Dir(z), filepath.Base(z), b)
		if r := Verify(z, vkey, ""); r.Consistent {
			t.Fatalf("corrupt zip accepted: %+v", r)
		}
	})
	t.Run("not a zip file", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "x.zip")
		writeF(t, filepath.Dir(p), filepath.Base(p), []byte("not a zip"))
		if r := Verify(p, vkey, ""); r.Consistent || len(r.Problems) == 0 {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("no such bundle", func(t *testing.T) {
		if r := Verify(filepath.Join(t.TempDir(), "nothing"), vkey, ""); r.Consistent || r.KeySHA256 != "" {
			t.Fatalf("%+v", r)
		}
	})
}
