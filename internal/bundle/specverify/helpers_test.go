package specverify

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// The committed fixture: a genuine bundle in the current format, made by
// scripts/sample-bundle.sh, and its organisation's key line.
const (
	fixtureBundle = "testdata/sample-bundle"
	fixtureVKey   = "testdata/sample.vkey"
)

// overridden reports whether SPECVERIFY_BUNDLE names another bundle than
// the fixture.
func overridden() bool { return os.Getenv("SPECVERIFY_BUNDLE") != "" }

// sampleBundle returns a genuine bundle and its organisation's key line:
// the committed fixture, or the bundle SPECVERIFY_BUNDLE names with the key
// in the file SPECVERIFY_VKEY (by default sample.vkey beside the bundle, as
// scripts/sample-bundle.sh writes it, or BUNDLE.vkey). A missing bundle or
// key fails the test: it never skips.
func sampleBundle(t *testing.T) (dir, vkey string) {
	t.Helper()
	dir, vkFile := os.Getenv("SPECVERIFY_BUNDLE"), os.Getenv("SPECVERIFY_VKEY")
	switch {
	case dir == "":
		dir = fixtureBundle
		if vkFile == "" {
			vkFile = fixtureVKey
		}
	case vkFile == "":
		vkFile = filepath.Join(filepath.Dir(filepath.Clean(dir)), "sample.vkey")
		if _, err := os.Stat(vkFile); err != nil {
			vkFile = filepath.Clean(dir) + ".vkey"
		}
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Fatalf("no sample bundle at %s (%v)", dir, err)
	}
	b, err := os.ReadFile(vkFile)
	if err != nil {
		t.Fatalf("no key for the sample bundle: %v", err)
	}
	return dir, strings.TrimSpace(string(b))
}

// lacks is called when the bundle lacks what a test needs: the committed
// fixture has everything, so there it fails; another bundle skips.
func lacks(t *testing.T, why string) {
	t.Helper()
	if overridden() {
		t.Skip(why)
	}
	t.Fatalf("the committed fixture lacks what this test needs: %s", why)
}

// copyBundle copies the sample into a fresh temporary directory.
func copyBundle(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "bundle")
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(out, 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(out, b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func readF(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeF(t *testing.T, dir, name string, b []byte) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func removeF(t *testing.T, dir string, names ...string) {
	t.Helper()
	for _, n := range names {
		if err := os.RemoveAll(filepath.Join(dir, filepath.FromSlash(n))); err != nil {
			t.Fatal(err)
		}
	}
}

func exists(dir, name string) bool {
	_, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(name)))
	return err == nil
}

// itemDirs lists items/NNNN, in order.
func itemDirs(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(filepath.Join(dir, "items"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, de := range des {
		out = append(out, "items/"+de.Name())
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i]) < len(out[j]) || len(out[i]) == len(out[j]) && out[i] < out[j] })
	return out
}

// eventIdx lists the indexes of the .event files of a folder ("" if absent), ascending.
func eventIdx(t *testing.T, dir, sub string) []int64 {
	t.Helper()
	des, err := os.ReadDir(filepath.Join(dir, filepath.FromSlash(sub)))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, de := range des {
		if base, ok := strings.CutSuffix(de.Name(), ".event"); ok {
			n, err := strconv.ParseInt(base, 10, 64)
			if err == nil {
				out = append(out, n)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func evName(sub string, i int64) string { return fmt.Sprintf("%s/%d.event", sub, i) }
func prName(sub string, i int64) string { return fmt.Sprintf("%s/%d.proof", sub, i) }

func hexSHA(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// fixManifest rewrites MANIFEST from the files: what a forger does after
// changing a content file.
func fixManifest(t *testing.T, dir string) {
	t.Helper()
	names := []string{"VERIFY.txt", "log.vkey"}
	for _, it := range itemDirs(t, dir) {
		names = append(names, it+"/document", it+"/item.json")
		idx := eventIdx(t, dir, it+"/events")
		for k, i := range idx {
			if k < len(idx)-1 {
				names = append(names, evName(it+"/events", i))
			}
		}
	}
	for _, i := range eventIdx(t, dir, "case/events") {
		names = append(names, evName("case/events", i))
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		if !exists(dir, n) {
			continue
		}
		fmt.Fprintf(&b, "%s  %s\n", hexSHA(readF(t, dir, n)), n)
	}
	writeF(t, dir, "MANIFEST", []byte(b.String()))
}

// getField and setField read and replace the value of a line "name value"
// of an event, keeping whatever ends the line.
func getField(b []byte, name string) string {
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, name+" "); ok {
			return strings.TrimSuffix(v, "\r")
		}
	}
	return ""
}

func setField(b []byte, name, value string) []byte {
	lines := strings.Split(string(b), "\n")
	for i, l := range lines {
		if _, ok := strings.CutPrefix(l, name+" "); ok {
			cr := ""
			if strings.HasSuffix(l, "\r") {
				cr = "\r"
			}
			lines[i] = name + " " + value + cr
			break
		}
	}
	return []byte(strings.Join(lines, "\n"))
}

func editEvent(t *testing.T, dir, name string, f func([]byte) []byte) {
	t.Helper()
	writeF(t, dir, name, f(readF(t, dir, name)))
}

// editItem rewrites an item.json through the package's own parser and
// renderer (the specification's spelling).
func editItem(t *testing.T, dir, itemDir string, f func(it *item)) {
	t.Helper()
	it, probs := parseItemJSON(readF(t, dir, itemDir+"/item.json"))
	if it == nil {
		t.Fatalf("%s/item.json: %v", itemDir, probs)
	}
	f(it)
	b, err := it.render()
	if err != nil {
		t.Fatal(err)
	}
	writeF(t, dir, itemDir+"/item.json", b)
}

// moveEvents moves the events of the folder sub at the indexes from to the
// indexes to, in order, and drops their proofs (reforge writes new ones).
func moveEvents(t *testing.T, dir, sub string, from, to []int64) {
	t.Helper()
	data := make([][]byte, len(from))
	for j, i := range from {
		data[j] = readF(t, dir, evName(sub, i))
		removeF(t, dir, evName(sub, i), prName(sub, i))
	}
	for j, i := range to {
		writeF(t, dir, evName(sub, i), data[j])
	}
}

// syncItemEvents sets an item.json's events to its listed events: all the
// folder's events but the last.
func syncItemEvents(t *testing.T, dir, itemDir string) {
	t.Helper()
	idx := eventIdx(t, dir, itemDir+"/events")
	editItem(t, dir, itemDir, func(x *item) { x.events = append([]int64{}, idx[:len(idx)-1]...) })
}

// replaceCheckpoint writes a new checkpoint and puts it at the end of every
// proof in its place.
func replaceCheckpoint(t *testing.T, dir string, cp []byte) {
	t.Helper()
	old := readF(t, dir, "checkpoint")
	writeF(t, dir, "checkpoint", cp)
	for _, f := range bundleFiles(t, dir) {
		if strings.HasSuffix(f, ".proof") {
			writeF(t, dir, f, []byte(strings.Replace(string(readF(t, dir, f)), string(old), string(cp), 1)))
		}
	}
}

// recomputeDescription sets description from the fields and description_salt.
func recomputeDescription(it *item) {
	var enc strings.Builder
	enc.WriteString("sanctuary-evidence-description/v1\n")
	for _, k := range descriptionFields {
		enc.WriteString(k + " " + it.s(k) + "\n")
	}
	salt, _ := hex.DecodeString(it.s("description_salt"))
	it.strs["description"] = commit("sanctuary/custody/description/v1", salt, []byte(enc.String()))
}

// lastDescEvent is the name of an item's last ingest or annotate event.
func lastDescEvent(t *testing.T, dir, itemDir string) string {
	t.Helper()
	last := ""
	for _, i := range eventIdx(t, dir, itemDir+"/events") {
		n := evName(itemDir+"/events", i)
		if typ := getField(readF(t, dir, n), "type"); typ == "ingest" || typ == "annotate" {
			last = n
		}
	}
	return last
}

type reforgeOpts struct {
	keyName     string              // the forger key's name; default the bundle's origin
	origin      string              // the checkpoint's origin; default the key's name
	noChainFix  bool                // leave PREV lines as they are
	beforeMF    func(dir string)    // after the chains are fixed, before MANIFEST
	beforeTree  func(dir string)    // after the export events are written
	cpExtra     string              // extension lines for the checkpoint text
	size        int64               // the tree size; default the largest index + 1
	extraLeaves map[int64][]byte    // log entries that are not in the bundle
	afterProofs func(dir string)    // last
	exportN     func(n int64) int64 // N written in the export events
	exportK     func(k int64) int64 // K written in the export events
}

// reforge makes the bundle consistent again under a new key of the
// forger's: it fixes the chains, MANIFEST, the export events' details
// (`bundle M events N case K`), and
// rebuilds a log holding the bundle's events, its checkpoint and every
// proof. It returns the forger's key line. A bundle that is still refused
// after this is refused for the one rule the test broke.
func reforge(t *testing.T, dir string, o reforgeOpts) string {
	t.Helper()
	line := strings.TrimSpace(string(readF(t, dir, "log.vkey")))
	origName, _, _ := strings.Cut(line, "+")
	if o.keyName == "" {
		o.keyName = origName
	}
	if o.origin == "" {
		o.origin = o.keyName
	}
	skey, vkey, err := note.GenerateKey(rand.Reader, o.keyName)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	writeF(t, dir, "log.vkey", []byte(vkey+"\n"))
	items := itemDirs(t, dir)
	if !o.noChainFix {
		for _, it := range items {
			sub := it + "/events"
			idx := eventIdx(t, dir, sub)
			for k := 1; k < len(idx); k++ {
				if getField(readF(t, dir, evName(sub, idx[k])), "type") == "ingest" {
					continue // a test made it a second ingest, with its prev
				}
				prev := hexSHA(readF(t, dir, evName(sub, idx[k-1])))
				editEvent(t, dir, evName(sub, idx[k]), func(b []byte) []byte { return setField(b, "prev", prev) })
			}
		}
	}
	if o.beforeMF != nil {
		o.beforeMF(dir)
	}
	fixManifest(t, dir)
	m := hexSHA(readF(t, dir, "MANIFEST"))
	nCase := int64(len(eventIdx(t, dir, "case/events")))
	if o.exportK != nil {
		nCase = o.exportK(nCase)
	}
	for _, it := range items {
		sub := it + "/events"
		idx := eventIdx(t, dir, sub)
		if len(idx) == 0 {
			continue
		}
		n := int64(len(idx))
		if o.exportN != nil {
			n = o.exportN(n)
		}
		editEvent(t, dir, evName(sub, idx[len(idx)-1]), func(b []byte) []byte {
			return setField(b, "detail", fmt.Sprintf("bundle %s events %d case %d", m, n, nCase))
		})
	}
	if o.beforeTree != nil {
		o.beforeTree(dir)
	}
	// The log: every event of the bundle at its index, filler elsewhere.
	leaves := map[int64][]byte{}
	var subs []string
	for _, it := range items {
		subs = append(subs, it+"/events")
	}
	subs = append(subs, "case/events")
	maxIdx := int64(-1)
	for _, sub := range subs {
		for _, i := range eventIdx(t, dir, sub) {
			leaves[i] = readF(t, dir, evName(sub, i))
			maxIdx = max(maxIdx, i)
		}
	}
	for i, b := range o.extraLeaves {
		leaves[i] = b
		maxIdx = max(maxIdx, i)
	}
	size := maxIdx + 1
	if o.size != 0 {
		size = o.size
	}
	var stored []tlog.Hash
	r := tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(ix))
		for k, x := range ix {
			out[k] = stored[x]
		}
		return out, nil
	})
	for i := int64(0); i < size; i++ {
		data, ok := leaves[i]
		if !ok {
			data = []byte(fmt.Sprintf("another case's entry %d\n", i))
		}
		hs, err := tlog.StoredHashes(i, data, r)
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, hs...)
	}
	root, err := tlog.TreeHash(size, r)
	if err != nil {
		t.Fatal(err)
	}
	text := fmt.Sprintf("%s\n%d\n%s\n%s", o.origin, size, base64.StdEncoding.EncodeToString(root[:]), o.cpExtra)
	cp, err := note.Sign(&note.Note{Text: text}, signer)
	if err != nil {
		t.Fatal(err)
	}
	writeF(t, dir, "checkpoint", cp)
	for _, sub := range subs {
		for _, i := range eventIdx(t, dir, sub) {
			p, err := tlog.ProveRecord(size, i, r)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			fmt.Fprintf(&b, "c2sp.org/tlog-proof@v1\nindex %d\n", i)
			for _, h := range p {
				b.WriteString(base64.StdEncoding.EncodeToString(h[:]) + "\n")
			}
			b.WriteString("\n")
			b.Write(cp)
			writeF(t, dir, prName(sub, i), []byte(b.String()))
		}
	}
	if o.afterProofs != nil {
		o.afterProofs(dir)
	}
	return vkey
}

// bundleFiles lists every file of a bundle directory (slash names).
func bundleFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func copyFile(t *testing.T, dir, from, to string) {
	t.Helper()
	writeF(t, dir, to, readF(t, dir, from))
}
