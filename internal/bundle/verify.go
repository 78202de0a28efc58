package bundle

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/sanctuary-platform/sanctuary/internal/custody"
)

// Report is the outcome of verifying a bundle.
type Report struct {
	// OK is true when the bundle as a whole and every item verified.
	OK bool `json:"ok"`
	// Problems are faults of the bundle as a whole.
	Problems []string  `json:"problems,omitempty"`
	Origin   string    `json:"origin,omitempty"`
	LogSize  int64     `json:"log_size,omitempty"`
	Items    []Verdict `json:"items"`
}

// Verdict is the outcome for one item.
type Verdict struct {
	Dir     string         `json:"dir"`
	Title   string         `json:"title,omitempty"`
	SHA256  string         `json:"sha256,omitempty"`
	OK      bool           `json:"ok"`
	Reasons []string       `json:"reasons,omitempty"`
	Events  []EventSummary `json:"events,omitempty"`
}

// EventSummary is one verified custody event of an item.
type EventSummary struct {
	Index int64     `json:"index"`
	Type  string    `json:"type"`
	Time  time.Time `json:"time"`
	Actor string    `json:"actor"`
}

// Options tune verification.
type Options struct {
	// VKey, if set, is the log key the court holds from elsewhere; the
	// bundle's log.vkey must be it.
	VKey string
}

// VerifyPath verifies the bundle at path: a directory or a zip file.
func VerifyPath(path string, opts Options) (*Report, error) {
	st, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	var a *archive
	switch {
	case st.IsDir():
		a, err = openDir(path)
	case st.Mode().IsRegular():
		var f *os.File
		if f, err = os.Open(path); err != nil {
			return nil, err
		}
		defer f.Close()
		a, err = openZip(f, st.Size())
	default:
		return nil, fmt.Errorf("%s is neither a directory nor a file", path)
	}
	if err != nil {
		return nil, err
	}
	return verify(a, opts), nil
}

// VerifyZip verifies a bundle zip held in memory or any io.ReaderAt.
func VerifyZip(r io.ReaderAt, size int64, opts Options) (*Report, error) {
	a, err := openZip(r, size)
	if err != nil {
		return nil, err
	}
	return verify(a, opts), nil
}

// verifier carries what the checks share.
type verifier struct {
	a      *archive
	rep    *Report
	hashes map[string]string // actual SHA-256 of every file that was hashed
	vkey   note.Verifier
	cp     []byte
	cpTree tree
	buf    []byte // for hashing files, reused
}

func verify(a *archive, opts Options) *Report {
	rep := &Report{Problems: append([]string{}, a.problems...), Items: []Verdict{}}
	v := &verifier{a: a, rep: rep, hashes: map[string]string{}, buf: make([]byte, 1<<20)}
	v.checkManifest()
	v.checkKeyAndCheckpoint(opts)
	for _, dir := range v.itemDirs() {
		rep.Items = append(rep.Items, v.checkItem(dir))
	}
	rep.OK = len(rep.Problems) == 0 && len(rep.Items) > 0
	for _, it := range rep.Items {
		rep.OK = rep.OK && it.OK
	}
	if len(rep.Items) == 0 {
		rep.Problems = append(rep.Problems, "the bundle holds no item")
	}
	return rep
}

func (v *verifier) problem(format string, args ...any) {
	v.rep.Problems = append(v.rep.Problems, fmt.Sprintf(format, args...))
}

var manifestLine = regexp.MustCompile(`^([0-9a-f]{64})  (\S.*)$`)

// checkManifest hashes every file and compares it with the manifest; a
// file missing from it, or listed but absent, is a problem.
func (v *verifier) checkManifest() {
	raw, err := v.a.read(ManifestFile)
	if err != nil {
		v.problem("MANIFEST: %v", err)
		return
	}
	listed := map[string]string{}
	for i, line := range strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n") {
		m := manifestLine.FindStringSubmatch(line)
		if m == nil {
			v.problem("MANIFEST line %d is malformed: %s", i+1, Clean(line))
			continue
		}
		listed[m[2]] = m[1]
	}
	for _, name := range sortedKeys(v.a.files) {
		if name == ManifestFile {
			continue
		}
		want, ok := listed[name]
		if !ok {
			v.problem("%s: extra file, not in MANIFEST", Clean(name))
			continue
		}
		got, err := v.hash(name)
		if err != nil {
			v.problem("%s: %v", Clean(name), err)
		} else if got != want {
			v.problem("%s: its SHA-256 is not the one in MANIFEST (the file was changed)", Clean(name))
		}
	}
	for name := range listed {
		if _, ok := v.a.files[name]; !ok {
			v.problem("%s: listed in MANIFEST but missing", Clean(name))
		}
	}
}

// hash streams a file through SHA-256, checking its declared size.
func (v *verifier) hash(name string) (string, error) {
	if h, ok := v.hashes[name]; ok {
		return h, nil
	}
	e := v.a.files[name]
	rc, err := e.open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.CopyBuffer(h, rc, v.buf)
	if err != nil {
		return "", fmt.Errorf("cannot be read: %w", err)
	}
	if n != e.size {
		return "", fmt.Errorf("is %d bytes, not the %d its archive says", n, e.size)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	v.hashes[name] = sum
	return sum, nil
}

func (v *verifier) checkKeyAndCheckpoint(opts Options) {
	raw, err := v.a.read(VKeyFile)
	if err != nil {
		v.problem("log.vkey: %v", err)
		return
	}
	vkey := strings.TrimSpace(string(raw))
	if opts.VKey != "" && vkey != strings.TrimSpace(opts.VKey) {
		v.problem("log.vkey is not the log key you gave: this bundle comes from another log")
		return
	}
	if v.vkey, err = note.NewVerifier(vkey); err != nil {
		v.problem("log.vkey is not a log key: %v", err)
		return
	}
	if v.cp, err = v.a.read(CheckpointFile); err != nil {
		v.problem("checkpoint: %v", err)
		return
	}
	if v.cpTree, err = openCheckpoint(v.cp, v.vkey); err != nil {
		v.problem("checkpoint: %v", err)
		return
	}
	v.rep.Origin, v.rep.LogSize = Clean(v.cpTree.origin), v.cpTree.size
}

var itemDirForm = regexp.MustCompile(`^items/[0-9]{4}$`)

func (v *verifier) itemDirs() []string {
	seen := map[string]bool{}
	for name := range v.a.files {
		if parts := strings.SplitN(name, "/", 3); len(parts) == 3 && parts[0] == "items" {
			if d := parts[0] + "/" + parts[1]; itemDirForm.MatchString(d) {
				seen[d] = true
			}
		}
	}
	return sortedKeys(seen)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// checkItem verifies one item: its document against its commitment, and
// each of its events against the commitment, the chain and the log.
func (v *verifier) checkItem(dir string) Verdict {
	vd := Verdict{Dir: dir}
	fail := func(format string, args ...any) Verdict {
		vd.Reasons = append(vd.Reasons, fmt.Sprintf(format, args...))
		return vd
	}
	raw, err := v.a.read(dir + "/item.json")
	if err != nil {
		return fail("item.json: %v", err)
	}
	var it ItemFile
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&it); err != nil || it.Format != ItemFormat {
		return fail("item.json is not a %s description", ItemFormat)
	}
	vd.Title, vd.SHA256 = Clean(it.Title), Clean(it.SHA256)
	commitment, ok := v.checkDocument(dir, it, &vd)
	if !ok {
		return vd
	}
	v.checkEvents(dir, it, commitment, &vd)
	vd.OK = len(vd.Reasons) == 0
	return vd
}

// checkDocument compares the document with item.json and recomputes the
// commitment from the salt.
func (v *verifier) checkDocument(dir string, it ItemFile, vd *Verdict) (string, bool) {
	doc := dir + "/document"
	if _, ok := v.a.files[doc]; !ok {
		vd.Reasons = append(vd.Reasons, "the document is missing")
		return "", false
	}
	got, err := v.hash(doc)
	if err != nil {
		vd.Reasons = append(vd.Reasons, "the document "+err.Error())
		return "", false
	}
	if got != it.SHA256 {
		vd.Reasons = append(vd.Reasons, "the document is not the one described: its SHA-256 differs from item.json")
		return "", false
	}
	salt, err := hex.DecodeString(it.Salt)
	if err != nil || len(salt) != custody.SaltSize {
		vd.Reasons = append(vd.Reasons, "the salt in item.json is not 32 bytes of hex")
		return "", false
	}
	sum, _ := hex.DecodeString(got)
	commitment := custody.Commit(salt, sum)
	if commitment != it.Commitment {
		vd.Reasons = append(vd.Reasons, "the commitment in item.json does not match the document and salt (wrong salt?)")
		return "", false
	}
	return commitment, true
}

// checkEvents verifies each event: canonical form, the document's
// commitment, the chain from the ingest, and its inclusion proof.
func (v *verifier) checkEvents(dir string, it ItemFile, commitment string, vd *Verdict) {
	if len(it.Events) == 0 {
		vd.Reasons = append(vd.Reasons, "item.json lists no custody event")
		return
	}
	prev := "-"
	for i, idx := range it.Events {
		ev, encoded, err := v.readEvent(dir, idx)
		switch {
		case err != nil:
			vd.Reasons = append(vd.Reasons, fmt.Sprintf("event %d: %v", idx, err))
			return
		case i == 0 && ev.Type != custody.Ingest:
			vd.Reasons = append(vd.Reasons, fmt.Sprintf("event %d: the first event is not the ingest", idx))
		case ev.Object != commitment:
			vd.Reasons = append(vd.Reasons, fmt.Sprintf("event %d: it is about another document (commitment differs)", idx))
		case ev.Prev != prev:
			vd.Reasons = append(vd.Reasons, fmt.Sprintf("event %d: the chain is broken (prev does not name the event before)", idx))
		}
		if err := v.checkProof(dir, idx, encoded); err != nil {
			vd.Reasons = append(vd.Reasons, fmt.Sprintf("event %d: %v", idx, err))
		}
		prev = custody.Hash(encoded)
		vd.Events = append(vd.Events, EventSummary{Index: idx, Type: ev.Type, Time: ev.Time, Actor: Clean(ev.Actor)})
	}
}

func (v *verifier) readEvent(dir string, idx int64) (custody.Event, []byte, error) {
	b, err := v.a.read(EventPath(itemNumber(dir), idx))
	if err != nil {
		return custody.Event{}, nil, err
	}
	ev, err := custody.Parse(b)
	if err != nil {
		return custody.Event{}, nil, fmt.Errorf("not a custody event: %v", err)
	}
	return ev, b, nil
}

func itemNumber(dir string) int {
	var n int
	fmt.Sscanf(strings.TrimPrefix(dir, "items/"), "%d", &n)
	return n
}

// checkProof verifies an event's tlog-proof: the bundle's checkpoint, the
// right index, and the Merkle path from the event to the checkpoint's root.
func (v *verifier) checkProof(dir string, idx int64, encoded []byte) error {
	if v.vkey == nil || v.cp == nil {
		return fmt.Errorf("cannot be checked without a valid log key and checkpoint")
	}
	raw, err := v.a.read(ProofPath(itemNumber(dir), idx))
	if err != nil {
		return err
	}
	p, err := parseProof(raw)
	if err != nil {
		return err
	}
	switch {
	case !bytes.Equal(p.checkpoint, v.cp):
		return fmt.Errorf("its proof refers to another checkpoint than the bundle's")
	case p.index != idx:
		return fmt.Errorf("its proof is for index %d, not %d", p.index, idx)
	}
	if !verifyInclusion(p.index, v.cpTree.size, leafHash(encoded), p.path, v.cpTree.root) {
		return fmt.Errorf("it is not in the log: its inclusion proof does not lead to the checkpoint's root")
	}
	return nil
}
