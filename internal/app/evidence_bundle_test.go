package app_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"filippo.io/torchwood"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/sanctuary-platform/sanctuary/internal/bundle"
	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

// exportedBundle makes a case with two items (one viewed and described
// after ingest) and exports them to a directory; it returns the directory
// and the env.
func exportedBundle(t *testing.T) (string, evidenceEnv) {
	t.Helper()
	e := newEvidenceApp(t, storetest.OpenSQLite(t))
	c := mustCreate(t, e.app)
	a, err := e.app.AddEvidence(actorCtx(), c.Reference, summonsMeta(), strings.NewReader("fictional summons, page 1"))
	if err != nil {
		t.Fatal(err)
	}
	m := summonsMeta()
	m.Title, m.Kind, m.Language, m.TranslationOf = "Translation (fictional)", evidence.KindOther, "de", a.ID
	if _, err := e.app.AddEvidence(actorCtx(), c.Reference, m, strings.NewReader("Übersetzung der Vorladung")); err != nil {
		t.Fatal(err)
	}
	f, err := e.app.OpenEvidence(actorCtx(), c.Reference, a.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	dir := filepath.Join(t.TempDir(), "bundle")
	w, err := bundle.NewDirWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.app.ExportEvidence(actorCtx(), c.Reference, nil, w); err != nil {
		t.Fatal(err)
	}
	return dir, e
}

func TestBundle_VerifiesOursAndIndependently(t *testing.T) {
	dir, e := exportedBundle(t)
	rep, err := bundle.VerifyPath(dir, bundle.Options{VKey: e.ev.Custody.Key().VKey})
	if err != nil || !rep.OK || len(rep.Items) != 2 {
		t.Fatalf("report %+v, %v", rep, err)
	}
	types := []string{}
	for _, ev := range rep.Items[0].Events {
		types = append(types, ev.Type)
	}
	if strings.Join(types, ",") != "ingest,view,export" {
		t.Errorf("item 1 events %v", types)
	}
	// Every proof also verifies with torchwood, and with x/mod/sumdb/tlog.
	vkey, _ := os.ReadFile(filepath.Join(dir, "log.vkey"))
	v, err := note.NewVerifier(strings.TrimSpace(string(vkey)))
	if err != nil {
		t.Fatal(err)
	}
	proofs, _ := filepath.Glob(filepath.Join(dir, "items", "*", "events", "*.proof"))
	if len(proofs) != 5 {
		t.Fatalf("%d proofs", len(proofs))
	}
	for _, p := range proofs {
		proof, _ := os.ReadFile(p)
		entry, _ := os.ReadFile(strings.TrimSuffix(p, ".proof") + ".event")
		if err := torchwood.VerifyProof(custody.PolicyFor(v), tlog.RecordHash(entry), proof); err != nil {
			t.Errorf("torchwood rejects %s: %v", p, err)
		}
	}
	// The bundle as a zip verifies too.
	var buf bytes.Buffer
	zipDir(t, dir, &buf, nil)
	zrep, err := bundle.VerifyZip(bytes.NewReader(buf.Bytes()), int64(buf.Len()), bundle.Options{})
	if err != nil || !zrep.OK {
		t.Fatalf("zip report %+v, %v", zrep, err)
	}
}

// TestBundle_TamperKit breaks a verified bundle in every way the issue
// lists and checks that each is refused with its reason.
func TestBundle_TamperKit(t *testing.T) {
	dir, e := exportedBundle(t)
	files := listFiles(t, dir)

	t.Run("BitFlipInEachFile", func(t *testing.T) {
		for _, name := range files {
			d := copyTree(t, dir)
			mutate(t, d, name, func(b []byte) []byte { b[len(b)/2] ^= 0x01; return b })
			if rep := verify(t, d); rep.OK {
				t.Errorf("a flipped bit in %s was not noticed", name)
			}
		}
	})
	t.Run("BitFlipWithManifestFixed", func(t *testing.T) {
		for _, name := range files {
			if name == bundle.ManifestFile || name == bundle.VerifyFile {
				continue
			}
			d := copyTree(t, dir)
			mutate(t, d, name, func(b []byte) []byte { b[len(b)-2] ^= 0x01; return b })
			fixManifest(t, d)
			if rep := verify(t, d); rep.OK {
				t.Errorf("%s altered (manifest recomputed) was not noticed", name)
			}
		}
	})
	cases := []struct {
		name   string
		break_ func(t *testing.T, d string)
		want   string
	}{
		{"WrongSalt", func(t *testing.T, d string) {
			mutate(t, d, "items/0001/item.json", func(b []byte) []byte {
				i := bytes.Index(b, []byte(`"salt": "`)) + len(`"salt": "`)
				b[i] = "01"[map[bool]int{true: 1, false: 0}[b[i] == '0']]
				return b
			})
		}, "salt"},
		{"DocumentSwapped", func(t *testing.T, d string) {
			os.WriteFile(filepath.Join(d, "items/0001/document"), []byte("a forged summons"), 0o600)
		}, "the document is not the one described"},
		{"WrongIndex", func(t *testing.T, d string) {
			evs, _ := filepath.Glob(filepath.Join(d, "items/0001/events/*.proof"))
			sort.Strings(evs)
			b, _ := os.ReadFile(evs[1])
			os.WriteFile(evs[0], b, 0o600)
		}, "its proof is for index"},
		{"WrongOrigin", func(t *testing.T, d string) {
			other, _ := custody.CreateKeyFile(filepath.Join(t.TempDir(), "k"))
			os.WriteFile(filepath.Join(d, "log.vkey"), []byte(other.VKey+"\n"), 0o600)
		}, "checkpoint: its signature does not verify"},
		{"TruncatedDocument", func(t *testing.T, d string) {
			os.Truncate(filepath.Join(d, "items/0002/document"), 3)
		}, "the document is not the one described"},
		{"TruncatedEvent", func(t *testing.T, d string) {
			evs, _ := filepath.Glob(filepath.Join(d, "items/0001/events/*.event"))
			os.Truncate(evs[0], 20)
		}, "not a custody event"},
		{"EventRemovedFromChain", func(t *testing.T, d string) {
			mutate(t, d, "items/0001/item.json", func(b []byte) []byte {
				s := string(b)
				i := strings.Index(s, `"events": [`)
				j := strings.Index(s[i:], ",")
				return []byte(s[:i+len(`"events": [`)] + s[i+j+1:])
			})
		}, "the first event is not the ingest"},
		{"ExtraFile", func(t *testing.T, d string) {
			os.WriteFile(filepath.Join(d, "items/0001/notes.txt"), []byte("slipped in"), 0o600)
		}, "extra file, not in MANIFEST"},
		{"Symlink", func(t *testing.T, d string) {
			os.Remove(filepath.Join(d, "items/0002/document"))
			os.Symlink("/etc/passwd", filepath.Join(d, "items/0002/document"))
		}, "is a symbolic link"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := copyTree(t, dir)
			tc.break_(t, d)
			fixManifest(t, d)
			if tc.name == "ExtraFile" || tc.name == "Symlink" {
				// the manifest as written by Sanctuary, not fixed up
				os.WriteFile(filepath.Join(d, bundle.ManifestFile), mustRead(t, filepath.Join(dir, bundle.ManifestFile)), 0o600)
			}
			rep := verify(t, d)
			if rep.OK || !strings.Contains(reportText(rep), tc.want) {
				t.Errorf("want a refusal containing %q, got:\n%s", tc.want, reportText(rep))
			}
		})
	}
	t.Run("PinnedKeyDiffers", func(t *testing.T) {
		other, _ := custody.CreateKeyFile(filepath.Join(t.TempDir(), "k"))
		rep, _ := bundle.VerifyPath(dir, bundle.Options{VKey: other.VKey})
		if rep.OK || !strings.Contains(reportText(rep), "another log") {
			t.Errorf("pinned key: %s", reportText(rep))
		}
		if rep, _ := bundle.VerifyPath(dir, bundle.Options{VKey: e.ev.Custody.Key().VKey}); !rep.OK {
			t.Errorf("the right pinned key is refused: %s", reportText(rep))
		}
	})
	for name, evil := range map[string]string{
		"ZipSlip":        "../../evil.txt",
		"AbsolutePath":   "/etc/cron.d/evil",
		"WindowsPath":    `C:\evil`,
		"TerminalEscape": "items/0001/\x1b[2J\x1b[31mPWNED",
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			zipDir(t, dir, &buf, func(zw *zip.Writer) {
				w, _ := zw.Create(evil)
				w.Write([]byte("evil"))
			})
			rep, err := bundle.VerifyZip(bytes.NewReader(buf.Bytes()), int64(buf.Len()), bundle.Options{})
			if err != nil {
				t.Fatal(err)
			}
			text := reportText(rep)
			if rep.OK || strings.Contains(text, "\x1b") {
				t.Errorf("%q: ok=%v, report:\n%s", evil, rep.OK, text)
			}
		})
	}
	t.Run("ZipSymlinkEntry", func(t *testing.T) {
		var buf bytes.Buffer
		zipDir(t, dir, &buf, func(zw *zip.Writer) {
			h := &zip.FileHeader{Name: "items/0001/link"}
			h.SetMode(fs.ModeSymlink | 0o777)
			w, _ := zw.CreateHeader(h)
			w.Write([]byte("/etc/passwd"))
		})
		rep, _ := bundle.VerifyZip(bytes.NewReader(buf.Bytes()), int64(buf.Len()), bundle.Options{})
		if rep.OK || !strings.Contains(reportText(rep), "symbolic link") {
			t.Errorf("zip symlink: %s", reportText(rep))
		}
	})
	t.Run("NotAZip", func(t *testing.T) {
		if _, err := bundle.VerifyZip(strings.NewReader("PK garbage"), 10, bundle.Options{}); err == nil {
			t.Error("garbage accepted as a zip")
		}
	})
}

func verify(t *testing.T, dir string) *bundle.Report {
	t.Helper()
	rep, err := bundle.VerifyPath(dir, bundle.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func reportText(rep *bundle.Report) string {
	var b strings.Builder
	for _, p := range rep.Problems {
		fmt.Fprintln(&b, p)
	}
	for _, it := range rep.Items {
		fmt.Fprintln(&b, it.Dir, it.OK, strings.Join(it.Reasons, "; "))
	}
	return b.String()
}

func listFiles(t *testing.T, dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out
}

func copyTree(t *testing.T, dir string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), "b")
	for _, f := range listFiles(t, dir) {
		os.MkdirAll(filepath.Join(to, filepath.Dir(f)), 0o700)
		os.WriteFile(filepath.Join(to, f), mustRead(t, filepath.Join(dir, f)), 0o600)
	}
	return to
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mutate(t *testing.T, dir, name string, f func([]byte) []byte) {
	t.Helper()
	p := filepath.Join(dir, name)
	os.WriteFile(p, f(mustRead(t, p)), 0o600)
}

// fixManifest recomputes MANIFEST, as a forger would.
func fixManifest(t *testing.T, dir string) {
	var b strings.Builder
	for _, f := range listFiles(t, dir) {
		if f == bundle.ManifestFile {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			continue
		}
		sum := sha256.Sum256(data)
		fmt.Fprintf(&b, "%s  %s\n", hex.EncodeToString(sum[:]), f)
	}
	os.WriteFile(filepath.Join(dir, bundle.ManifestFile), []byte(b.String()), 0o600)
}

func zipDir(t *testing.T, dir string, buf *bytes.Buffer, extra func(*zip.Writer)) {
	zw := zip.NewWriter(buf)
	for _, f := range listFiles(t, dir) {
		w, _ := zw.Create(f)
		w.Write(mustRead(t, filepath.Join(dir, f)))
	}
	if extra != nil {
		extra(zw)
	}
	zw.Close()
}

// BenchmarkBundleVerify verifies a bundle of 10 items, each with its
// ingest, a view and the export event: manifest, signatures, commitments,
// chains and 30 inclusion proofs.
func BenchmarkBundleVerify(b *testing.B) {
	e := newEvidenceApp(b, storetest.OpenSQLite(b))
	c, err := e.app.CreateCase(actorCtx(), sampleCase())
	if err != nil {
		b.Fatal(err)
	}
	for i := range 10 {
		it, err := e.app.AddEvidence(actorCtx(), c.Reference, summonsMeta(), strings.NewReader(strings.Repeat(fmt.Sprint("page ", i), 20000)))
		if err != nil {
			b.Fatal(err)
		}
		f, _ := e.app.OpenEvidence(actorCtx(), c.Reference, it.ID, false)
		f.Close()
	}
	dir := filepath.Join(b.TempDir(), "bundle")
	w, _ := bundle.NewDirWriter(dir)
	if err := e.app.ExportEvidence(actorCtx(), c.Reference, nil, w); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		rep, err := bundle.VerifyPath(dir, bundle.Options{})
		if err != nil || !rep.OK {
			b.Fatalf("%+v %v", rep, err)
		}
	}
}

// BenchmarkOpenEvidence opens an item for viewing: case key unwrapped,
// custody event logged (the item locked meanwhile), object opened.
func BenchmarkOpenEvidence(b *testing.B) {
	storetest.Bench(b, func(b *testing.B, db *store.DB) {
		e := newEvidenceApp(b, db)
		c, err := e.app.CreateCase(actorCtx(), sampleCase())
		if err != nil {
			b.Fatal(err)
		}
		it, err := e.app.AddEvidence(actorCtx(), c.Reference, summonsMeta(), strings.NewReader("fictional"))
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			f, err := e.app.OpenEvidence(actorCtx(), c.Reference, it.ID, false)
			if err != nil {
				b.Fatal(err)
			}
			f.Close()
		}
	})
}
