package app_test

import (
	"archive/zip"
	"bytes"
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
	if rep.KeyProblem != "" {
		fmt.Fprintln(&b, rep.KeyProblem)
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
