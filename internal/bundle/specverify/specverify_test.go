package specverify

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
)

// fingerprint is the SHA-256 of log.vkey as a bundle holds it: the key's
// line and its LF.
func fingerprint(vkey string) string {
	s := sha256.Sum256([]byte(vkey + "\n"))
	return hex.EncodeToString(s[:])
}

func TestSampleVerifies(t *testing.T) {
	dir, vkey := sampleBundle(t)
	r := Verify(dir, vkey, "")
	if !r.Consistent || !r.Verified {
		t.Fatalf("genuine bundle with its key: %+v", r)
	}
	if len(r.Problems) != 0 {
		t.Errorf("problems on a verified bundle: %v", r.Problems)
	}
	if r.KeySHA256 != fingerprint(vkey) {
		t.Errorf("KeySHA256 %s, want %s", r.KeySHA256, fingerprint(vkey))
	}
	if r := Verify(dir, "", fingerprint(vkey)); !r.Verified {
		t.Errorf("with the fingerprint: %+v", r)
	}
	if r := Verify(dir, vkey, strings.ToUpper(fingerprint(vkey))); !r.Verified {
		t.Errorf("with the key and an upper-case fingerprint: %+v", r)
	}
}

func TestSampleWithoutKeyIsConsistentOnly(t *testing.T) {
	dir, vkey := sampleBundle(t)
	r := Verify(dir, "", "")
	if !r.Consistent || r.Verified {
		t.Fatalf("without a key: %+v", r)
	}
	if r.KeySHA256 != fingerprint(vkey) {
		t.Errorf("KeySHA256 %s, want %s", r.KeySHA256, fingerprint(vkey))
	}
	if len(r.Problems) != 1 || !strings.Contains(r.Problems[0], "NOT VERIFIED") {
		t.Errorf("problems: %v", r.Problems)
	}
}

func TestSampleWithAnotherKeyIsNotVerified(t *testing.T) {
	dir, vkey := sampleBundle(t)
	name, _, _ := strings.Cut(vkey, "+")
	_, other, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ vkey, sha string }{
		{other, ""},
		{"", fingerprint(other)},
		{vkey, fingerprint(other)}, // both given: both must hold
		{other, fingerprint(vkey)},
		{"", strings.Repeat("0", 64)},
	} {
		r := Verify(dir, c.vkey, c.sha)
		if !r.Consistent || r.Verified {
			t.Errorf("key %q sha %q: %+v", c.vkey, c.sha, r)
		}
	}
}

// kitInfo describes the genuine bundle the forgeries start from.
type kitInfo struct {
	vkey   string
	items  []string
	events map[string][]int64
	caseEv []int64
}

func newKitInfo(t *testing.T, dir, vkey string) *kitInfo {
	k := &kitInfo{vkey: vkey, items: itemDirs(t, dir), events: map[string][]int64{}}
	for _, it := range k.items {
		k.events[it] = eventIdx(t, dir, it+"/events")
	}
	k.caseEv = eventIdx(t, dir, "case/events")
	return k
}

func (k *kitInfo) first() string { return k.items[0] }

func (k *kitInfo) ev(it string, pos int) string {
	idx := k.events[it]
	if pos < 0 {
		pos += len(idx)
	}
	return evName(it+"/events", idx[pos])
}

func (k *kitInfo) pr(it string, pos int) string {
	return strings.TrimSuffix(k.ev(it, pos), ".event") + ".proof"
}

func (k *kitInfo) export(it string) string { return k.ev(it, -1) }

// rich is an item with at least two listed events, "" if none.
func (k *kitInfo) rich() string {
	for _, it := range k.items {
		if len(k.events[it]) >= 3 {
			return it
		}
	}
	return ""
}

func (k *kitInfo) maxIndex() int64 {
	m := int64(-1)
	for _, idx := range k.events {
		for _, i := range idx {
			m = max(m, i)
		}
	}
	for _, i := range k.caseEv {
		m = max(m, i)
	}
	return m
}

func (k *kitInfo) caseEvent() string { return evName("case/events", k.caseEv[0]) }

// forgery breaks a copy of a genuine bundle; run returns the key to verify
// against (the genuine one, or a forger's after reforge) and false when the
// bundle lacks what the forgery needs.
type forgery struct {
	name string
	want string // a problem must contain this
	run  func(t *testing.T, d string, k *kitInfo) (string, bool)
}

// genuine wraps a forgery that keeps the organisation's key.
func genuine(f func(t *testing.T, d string, k *kitInfo) bool) func(t *testing.T, d string, k *kitInfo) (string, bool) {
	return func(t *testing.T, d string, k *kitInfo) (string, bool) {
		return k.vkey, f(t, d, k)
	}
}

// reforged wraps a forgery after which the whole log is rebuilt under a
// forger's key, so that only the rule the forgery breaks can refuse it.
func reforged(o reforgeOpts, f func(t *testing.T, d string, k *kitInfo) bool) func(t *testing.T, d string, k *kitInfo) (string, bool) {
	return func(t *testing.T, d string, k *kitInfo) (string, bool) {
		if f != nil && !f(t, d, k) {
			return "", false
		}
		return reforge(t, d, o), true
	}
}

func setTitle(suffix string) func(it *item) {
	return func(it *item) { it.strs["title"] += suffix }
}

// rewriteDescription changes item.json with f, recomputes its description
// commitment, and makes its last ingest or annotate event name it: a full
// forgery of the description, which only the log key can catch.
func rewriteDescription(t *testing.T, d, it string, f func(it *item)) {
	editItem(t, d, it, func(x *item) {
		f(x)
		recomputeDescription(x)
	})
	x, _ := parseItemJSON(readF(t, d, it+"/item.json"))
	if x == nil {
		// f made it unparseable on purpose; nothing to carry to the event.
		return
	}
	editEvent(t, d, lastDescEvent(t, d, it), func(b []byte) []byte { return setField(b, "description", x.s("description")) })
}

func itemJSONString(t *testing.T, d, it string, f func(s string) string) {
	writeF(t, d, it+"/item.json", []byte(f(string(readF(t, d, it+"/item.json")))))
}

func sortLines(s string) string {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	// Sort by name (after the hash and two spaces).
	for i := 1; i < len(lines); i++ {
		for j := i; j > 0 && lines[j][66:] < lines[j-1][66:]; j-- {
			lines[j], lines[j-1] = lines[j-1], lines[j]
		}
	}
	return strings.Join(lines, "")
}

func replaceManifestHash(mf, name, hash string) string {
	lines := strings.SplitAfter(mf, "\n")
	for i, l := range lines {
		if strings.HasSuffix(l, "  "+name+"\n") {
			lines[i] = hash + "  " + name + "\n"
		}
	}
	return strings.Join(lines, "")
}

func hasProblem(r Result, want string) bool {
	for _, p := range r.Problems {
		if strings.Contains(p, want) {
			return true
		}
	}
	return false
}

// runForgeries checks that every forgery of the genuine bundle at src is
// refused, for the reason it targets. On the committed fixture no forgery
// may lack what it needs; on another bundle (SPECVERIFY_BUNDLE) it skips.
func runForgeries(t *testing.T, src, vkey string) {
	k := newKitInfo(t, src, vkey)
	for _, f := range append(append([]forgery{}, genuineForgeries...), reforgedForgeries...) {
		t.Run(f.name, func(t *testing.T) {
			d := copyBundle(t, src)
			vk, ok := f.run(t, d, k)
			if !ok {
				lacks(t, "the bundle lacks what this forgery needs")
			}
			r := Verify(d, vk, "")
			if r.Consistent || r.Verified {
				t.Fatalf("forged bundle accepted: %+v", r)
			}
			if f.want != "" && !hasProblem(r, f.want) {
				t.Errorf("no problem says %q:\n%s", f.want, strings.Join(r.Problems, "\n"))
			}
			for _, p := range r.Problems {
				if !isPrintableASCII(p) {
					t.Errorf("problem not print-safe: %q", p)
				}
			}
		})
	}
}

func TestForgeries(t *testing.T) {
	dir, vkey := sampleBundle(t)
	runForgeries(t, dir, vkey)
}

// TestItemOutOrder: the struct render marshals has the keys of the
// specification, in its order.
func TestItemOutOrder(t *testing.T) {
	b, err := json.Marshal(itemOut{})
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.Token()
	for i := 0; dec.More(); i++ {
		tok, _ := dec.Token()
		var skip json.RawMessage
		dec.Decode(&skip)
		if i >= len(itemKeys) || tok != itemKeys[i].name {
			t.Fatalf("key %d of itemOut is %v", i, tok)
		}
	}
}

// TestSampleItemJSONSpelling: the fixture's item.json files are
// json.MarshalIndent's spelling, byte for byte.
func TestSampleItemJSONSpelling(t *testing.T) {
	dir, _ := sampleBundle(t)
	for _, it := range itemDirs(t, dir) {
		data := readF(t, dir, it+"/item.json")
		x, probs := parseItemJSON(data)
		if x == nil {
			t.Fatalf("%s: %v", it, probs)
		}
		if r, err := x.render(); err != nil || !bytes.Equal(r, data) {
			t.Errorf("%s: rendered differently (%v)", it, err)
		}
	}
}

// TestSampleHasWhatTheKitNeeds: the committed fixture has an item with
// three events or more (ingest, download, annotate), a second item, and a
// case event, so that no forgery lacks what it needs.
func TestSampleHasWhatTheKitNeeds(t *testing.T) {
	dir, vkey := sampleBundle(t)
	k := newKitInfo(t, dir, vkey)
	if k.rich() == "" || len(k.items) < 2 || len(k.caseEv) == 0 {
		lacks(t, "an item with three events, two items and a case event")
	}
	if typ := getField(readF(t, dir, k.ev(k.rich(), 1)), "type"); typ != "view" && typ != "download" && typ != "derive" {
		lacks(t, "the rich item's second event is a view, download or derive")
	}
}
