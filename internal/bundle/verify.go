package bundle

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
)

// Report is the outcome of verifying a bundle.
type Report struct {
	// OK is true when every check passed: the bundle is internally
	// consistent, and everything it shows is in the log its checkpoint
	// and log.vkey name.
	OK bool `json:"ok"`
	// KeyChecked is true when the verifier was given the log key to expect
	// (or its fingerprint) and log.vkey is it.
	KeyChecked bool `json:"key_checked"`
	// Verified is OK and KeyChecked: the bundle is the organisation's.
	// Without an expected key a bundle proves only its own consistency —
	// anyone can make a consistent bundle under a key of their own.
	Verified bool `json:"verified"`
	// Problems are faults of the bundle as a whole.
	Problems []string `json:"problems,omitempty"`
	// KeyProblem says that log.vkey is not the key the verifier was told
	// to expect: the bundle may be consistent, but it is another log's.
	KeyProblem string `json:"key_problem,omitempty"`
	Origin     string `json:"origin,omitempty"`
	// KeySHA256 is the fingerprint of log.vkey (KeySHA256), to compare
	// with the one the organisation publishes.
	KeySHA256      string `json:"key_sha256,omitempty"`
	LogSize        int64  `json:"log_size,omitempty"`
	ManifestSHA256 string `json:"manifest_sha256,omitempty"`
	// CaseEvents are events about the case as a whole that concern every
	// item: exports of the case key, with which every document of the case
	// can be decrypted.
	CaseEvents []EventSummary `json:"case_events,omitempty"`
	Items      []Verdict      `json:"items"`
}

// Verdict is the outcome for one item. Every field it shows beside OK is
// committed in the custody log.
type Verdict struct {
	Dir          string `json:"dir"`
	OK           bool   `json:"ok"`
	Title        string `json:"title,omitempty"`
	Kind         string `json:"kind,omitempty"`
	DocumentDate string `json:"document_date,omitempty"`
	ObtainedFrom string `json:"obtained_from,omitempty"`
	ObtainedAt   string `json:"obtained_at,omitempty"`
	Language     string `json:"language,omitempty"`
	OriginalName string `json:"original_name,omitempty"`
	// TranslationOf and DerivedFrom name the original: an item folder of
	// this bundle, or the commitment of a document not in it.
	TranslationOf string         `json:"translation_of,omitempty"`
	DerivedFrom   string         `json:"derived_from,omitempty"`
	Size          int64          `json:"size,omitempty"`
	SHA256        string         `json:"sha256,omitempty"`
	Reasons       []string       `json:"reasons,omitempty"`
	Events        []EventSummary `json:"events,omitempty"`
}

// EventSummary is one verified custody event.
type EventSummary struct {
	Index  int64     `json:"index"`
	Type   string    `json:"type"`
	Time   time.Time `json:"time"`
	Actor  string    `json:"actor"`
	Detail string    `json:"detail,omitempty"`
}

// Options tune verification.
type Options struct {
	// VKey, if set, is the log key the court holds from elsewhere; the
	// bundle's log.vkey must be it.
	VKey string
	// KeySHA256, if set, is the fingerprint of that key (KeySHA256), as
	// an organisation may publish it; spaces and colons are ignored.
	KeySHA256 string
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
	places map[string]place // every file the format defines, classified
	events map[int][]string // the event and proof files of each item
	// versions are the format versions of the events read, by log index.
	versions map[int64]int
	listed   map[string]bool   // the files MANIFEST lists
	hashes   map[string]string // actual SHA-256 of every file that was hashed
	vkey     note.Verifier
	cp       []byte
	cpTree   tree
	// caseTag is the case pseudonym every event must carry; exports are
	// the log indexes of the items' export events.
	caseTag string
	exports []int64
	// commitments are the items' commitments, by folder, for naming links.
	commitments map[string]string
	buf         []byte // for hashing files, reused
}

func verify(a *archive, opts Options) *Report {
	rep := &Report{Problems: append([]string{}, a.problems...), Items: []Verdict{}}
	v := &verifier{a: a, rep: rep, places: map[string]place{}, events: map[int][]string{}, versions: map[int64]int{}, listed: map[string]bool{}, hashes: map[string]string{},
		commitments: map[string]string{}, buf: make([]byte, 1<<20)}
	v.checkNames()
	v.checkManifest()
	v.checkKeyAndCheckpoint(opts)
	for _, n := range v.itemNumbers() {
		rep.Items = append(rep.Items, v.checkItem(n))
	}
	v.checkCaseEvents()
	v.checkOrder()
	v.nameLinks()
	if len(rep.Items) == 0 {
		v.problem("the bundle holds no item")
	}
	rep.OK = len(rep.Problems) == 0
	for _, it := range rep.Items {
		rep.OK = rep.OK && it.OK
	}
	rep.Verified = rep.OK && rep.KeyChecked
	return rep
}

func (v *verifier) problem(format string, args ...any) {
	v.rep.Problems = append(v.rep.Problems, fmt.Sprintf(format, args...))
}

// checkNames refuses every file and folder the format does not define,
// and names that differ only in case.
func (v *verifier) checkNames() {
	var all []string
	for _, name := range sortedKeys(v.a.files) {
		all = append(all, name)
		p, err := classify(name)
		if err != nil {
			v.problem("%s: %v", SafeName(name), err)
			continue
		}
		v.places[name] = p
		if p.kind == kindItemEvent || p.kind == kindItemProof {
			v.events[p.item] = append(v.events[p.item], name)
		}
	}
	for _, name := range sortedKeys(v.a.dirs) {
		all = append(all, name+"/")
		if err := classifyDir(name); err != nil {
			v.problem("%s/: %v", SafeName(name), err)
		}
	}
	sort.Strings(all)
	v.rep.Problems = append(v.rep.Problems, caseFold(all)...)
}

var manifestLine = regexp.MustCompile(`^([0-9a-f]{64})  ([!-~]+)$`)

// maxManifest bounds MANIFEST: a line per file.
const maxManifest = 16 << 20

// checkManifest reads MANIFEST in its one encoding, checks that it lists
// exactly the content files, and hashes each against it.
func (v *verifier) checkManifest() {
	raw, err := v.a.read(ManifestFile, maxManifest)
	if err != nil {
		v.problem("MANIFEST: %v", err)
		return
	}
	sum := sha256.Sum256(raw)
	v.rep.ManifestSHA256 = hex.EncodeToString(sum[:])
	want := v.parseManifest(raw)
	for _, name := range sortedKeys(v.places) {
		k := v.places[name].kind
		if k.inManifest() && k != kindItemEvent && !v.listed[name] {
			v.problem("%s: not listed in MANIFEST", SafeName(name))
		}
	}
	for _, name := range sortedKeys(want) {
		if _, ok := v.a.files[name]; !ok {
			v.problem("%s: listed in MANIFEST but missing", SafeName(name))
			continue
		}
		got, err := v.hash(name)
		if err != nil {
			v.problem("%s: %v", SafeName(name), err)
		} else if got != want[name] {
			v.problem("%s: its SHA-256 is not the one in MANIFEST (the file was changed)", SafeName(name))
		}
	}
}

// parseManifest reads MANIFEST's lines: sorted, each name once, each a
// content file of the format.
func (v *verifier) parseManifest(raw []byte) map[string]string {
	want := map[string]string{}
	text, ok := strings.CutSuffix(string(raw), "\n")
	if !ok || text == "" {
		v.problem("MANIFEST is empty or does not end with a line break")
		return want
	}
	prev := ""
	for i, line := range strings.Split(text, "\n") {
		m := manifestLine.FindStringSubmatch(line)
		if m == nil {
			v.problem("MANIFEST line %d is malformed: %s", i+1, SafeName(line))
			continue
		}
		name := m[2]
		if name <= prev {
			v.problem("MANIFEST line %d: %s is out of order or listed twice", i+1, SafeName(name))
		}
		prev = name
		if p, ok := v.places[name]; ok && !p.kind.inManifest() {
			v.problem("MANIFEST line %d: %s is not a content file, and MANIFEST may not list it", i+1, SafeName(name))
		}
		want[name], v.listed[name] = m[1], true
	}
	return want
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

// checkKeyAndCheckpoint reads log.vkey, compares it with the key the
// verifier was given, and opens the checkpoint with it.
func (v *verifier) checkKeyAndCheckpoint(opts Options) {
	raw, err := v.a.read(VKeyFile, maxSmallFile)
	if err != nil {
		v.problem("log.vkey: %v", err)
		return
	}
	vkey, ok := strings.CutSuffix(string(raw), "\n")
	if !ok || strings.ContainsAny(vkey, "\n\r ") {
		v.problem("log.vkey is not one line holding a key")
		return
	}
	if v.vkey, err = note.NewVerifier(vkey); err != nil {
		v.problem("log.vkey is not a log key: %v", err)
		return
	}
	v.rep.KeySHA256 = KeySHA256(vkey)
	v.checkExpectedKey(vkey, opts)
	if v.cp, err = v.a.read(CheckpointFile, maxSmallFile); err != nil {
		v.problem("checkpoint: %v", err)
		return
	}
	if v.cpTree, err = openCheckpoint(v.cp, v.vkey); err != nil {
		v.problem("checkpoint: %v", err)
		v.cp = nil
		return
	}
	v.rep.Origin, v.rep.LogSize = SafeName(v.cpTree.origin), v.cpTree.size
}

func (v *verifier) checkExpectedKey(vkey string, opts Options) {
	fp := strings.NewReplacer(" ", "", ":", "").Replace(strings.ToLower(opts.KeySHA256))
	switch {
	case opts.VKey != "" && strings.TrimSpace(opts.VKey) != vkey:
		v.rep.KeyProblem = "log.vkey is not the log key you gave: this bundle comes from another log"
	case fp != "" && fp != v.rep.KeySHA256:
		v.rep.KeyProblem = "log.vkey's fingerprint is not the one you gave: this bundle comes from another log"
	case opts.VKey != "" || fp != "":
		v.rep.KeyChecked = true
	}
}

// itemNumbers returns the items' numbers, which must run from 1 without
// a gap.
func (v *verifier) itemNumbers() []int {
	seen := map[int]bool{}
	for _, p := range v.places {
		if p.item > 0 {
			seen[p.item] = true
		}
	}
	var ns []int
	for n := range seen {
		ns = append(ns, n)
	}
	sort.Ints(ns)
	for i, n := range ns {
		if n != i+1 {
			v.problem("%s: the items are not numbered 1, 2, 3 ... without a gap", ItemDir(n))
			break
		}
	}
	return ns
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
