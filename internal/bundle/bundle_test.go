package bundle

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

func TestClean(t *testing.T) {
	for in, want := range map[string]string{"plain": "plain", "a\x1b[31mb": `a\x1b[31mb`, "Повестка": "Повестка", "a\nb": `a\nb`} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestVerifyInclusion checks our RFC 6962 verifier against x/mod's proofs
// for every leaf of trees of several sizes, and that it refuses a proof
// for the wrong leaf or index.
func TestVerifyInclusion(t *testing.T) {
	for _, size := range []int64{1, 2, 3, 7, 8, 9, 100} {
		var stored []tlog.Hash
		for i := range size {
			hs, err := tlog.StoredHashes(i, []byte(fmt.Sprint("entry ", i)), tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
				out := make([]tlog.Hash, len(idx))
				for j, x := range idx {
					out[j] = stored[x]
				}
				return out, nil
			}))
			if err != nil {
				t.Fatal(err)
			}
			stored = append(stored, hs...)
		}
		reader := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
			out := make([]tlog.Hash, len(idx))
			for j, x := range idx {
				out[j] = stored[x]
			}
			return out, nil
		})
		root, err := tlog.TreeHash(size, reader)
		if err != nil {
			t.Fatal(err)
		}
		for i := range size {
			p, err := tlog.ProveRecord(size, i, reader)
			if err != nil {
				t.Fatal(err)
			}
			path := make([][32]byte, len(p))
			for j := range p {
				path[j] = p[j]
			}
			leaf := leafHash([]byte(fmt.Sprint("entry ", i)))
			if !verifyInclusion(i, size, leaf, path, root) {
				t.Errorf("size %d leaf %d: a valid proof is refused", size, i)
			}
			if verifyInclusion(i, size, leafHash([]byte("forged")), path, root) {
				t.Errorf("size %d leaf %d: a forged leaf is accepted", size, i)
			}
			if size > 1 && verifyInclusion((i+1)%size, size, leaf, path, root) {
				t.Errorf("size %d leaf %d: a wrong index is accepted", size, i)
			}
		}
	}
}

// FuzzParseProof: no panic, and what parses re-encodes to the same bytes.
func FuzzParseProof(f *testing.F) {
	h := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	f.Add([]byte("c2sp.org/tlog-proof@v1\nindex 3\n" + h + "\n\norigin\n4\nroot\n"))
	f.Add([]byte("c2sp.org/tlog-proof@v1\nindex -1\n\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := parseProof(b)
		if err != nil {
			return
		}
		var out strings.Builder
		fmt.Fprintf(&out, "c2sp.org/tlog-proof@v1\nindex %d\n", p.index)
		for _, x := range p.path {
			out.WriteString(base64.StdEncoding.EncodeToString(x[:]) + "\n")
		}
		out.WriteString("\n")
		out.Write(p.checkpoint)
		if out.String() != string(b) {
			t.Fatalf("%q parses but is not canonical", b)
		}
	})
}

// FuzzVerifyZip feeds arbitrary bytes to the verifier as a zip: it must
// not panic, and nothing it was not given by a log can verify.
func FuzzVerifyZip(f *testing.F) {
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		rep, err := VerifyZip(bytes.NewReader(b), int64(len(b)), Options{})
		if err == nil && rep.OK {
			t.Fatalf("random bytes verified: %+v", rep)
		}
	})
}

// BenchmarkVerifyInclusion checks one inclusion proof in a log of about a
// million entries (20 hashes).
func BenchmarkVerifyInclusion(b *testing.B) {
	const size = 1 << 20
	var path [][32]byte
	for i := range 20 {
		path = append(path, [32]byte{byte(i)})
	}
	leaf := leafHash([]byte("event"))
	// The root the path leads to, computed once.
	fn, sn, r := int64(12345), int64(size-1), leaf
	for _, p := range path {
		if fn&1 == 1 || fn == sn {
			r = nodeHash(p, r)
			for fn&1 == 0 && fn != 0 {
				fn, sn = fn>>1, sn>>1
			}
		} else {
			r = nodeHash(r, p)
		}
		fn, sn = fn>>1, sn>>1
	}
	for b.Loop() {
		if !verifyInclusion(12345, size, leaf, path, r) {
			b.Fatal("does not verify")
		}
	}
}

func sampleItem() ItemFile {
	h := strings.Repeat("ab", 32)
	return ItemFile{Format: ItemFormat, Item: 1, Title: "Повестка (fictional)", Kind: "summons", DocumentDate: "2025-10-07",
		Language: "ru", DescriptionSalt: h, Description: h, Size: 3, SHA256: h, Salt: h, Commitment: h, Events: []int64{0, 4}}
}

// TestDecodeItem: item.json is read in its one encoding only, and a
// duplicate key, at any depth, is refused (readers disagree on which wins).
func TestDecodeItem(t *testing.T) {
	good, err := EncodeItem(sampleItem())
	if err != nil {
		t.Fatal(err)
	}
	if it, err := decodeItem(good); err != nil || it.Title != sampleItem().Title {
		t.Fatalf("the one encoding: %+v, %v", it, err)
	}
	s := string(good)
	for name, bad := range map[string]string{
		"duplicate":   strings.Replace(s, "{\n", "{\n  \"title\": \"forged\",\n", 1),
		"missing":     strings.Replace(s, "  \"language\": \"ru\",\n", "", 1),
		"unknown":     strings.Replace(s, "{\n", "{\n  \"note\": \"x\",\n", 1),
		"spaces":      strings.Replace(s, ": ", ":  ", 1),
		"escaped":     strings.Replace(s, "fictional", "fict\\u0069onal", 1),
		"trailing":    s + "{}",
		"bom":         "\ufeff" + s,
		"crlf":        strings.ReplaceAll(s, "\n", "\r\n"),
		"array":       "[" + s + "]",
		"old format":  strings.Replace(s, ItemFormat, ItemFormatV1, 1),
		"events null": strings.Replace(s, "\"events\": [\n    0,\n    4\n  ]", "\"events\": null", 1),
	} {
		if _, err := decodeItem([]byte(bad)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestClassify: the format's names, and nothing that looks like them.
func TestClassify(t *testing.T) {
	for _, good := range []string{"MANIFEST", "VERIFY.txt", "log.vkey", "checkpoint", "items/0001/document", "items/0001/item.json",
		"items/0012/events/0.event", "items/9999/events/17.proof", "items/10000/document", "case/events/30.event", "case/events/30.proof"} {
		if _, err := classify(good); err != nil {
			t.Errorf("%s refused: %v", good, err)
		}
	}
	for _, bad := range []string{"items/0000/document", "items/001/document", "items/00001/document", "items/OOO1/document",
		"items/0\u043e\u043e1/document", "items/0001/DOCUMENT", "items/0001/Document", "items/0001/events/017.event",
		"items/0001/events/-1.event", "items/0001/events/1.event.bak", "items/0001/notes.txt", "manifest", "MANIFEST.sig",
		"case/events/1.txt", "case/0001/document", "items/0001/events/99999999999999999999.event"} {
		if _, err := classify(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	for _, d := range []string{"items/0001/events/old", "items/OOO1", "case/x", "items/0001/Events"} {
		if classifyDir(d) == nil {
			t.Errorf("folder %s accepted", d)
		}
	}
	if got := caseFold([]string{"items/0001/document", "items/0001/DOCUMENT"}); len(got) != 1 {
		t.Errorf("case-only difference: %v", got)
	}
	if got := SafeName("items/0\u043e\u043e1"); got != `items/0\u043e\u043e1` {
		t.Errorf("SafeName = %s", got)
	}
}

// FuzzDecodeItem: no panic, and what is accepted is in the one encoding.
func FuzzDecodeItem(f *testing.F) {
	good, _ := EncodeItem(sampleItem())
	f.Add(good)
	f.Add([]byte(`{"format":"x","format":"y"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		it, err := decodeItem(b)
		if err != nil {
			return
		}
		again, err := EncodeItem(it)
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("%q accepted but encodes as %q", b, again)
		}
	})
}

// FuzzClassify: no panic, and every accepted name is printable ASCII.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{"items/0001/events/17.event", "case/events/3.proof", "items/0\u043e01/document", "MANIFEST"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if _, err := classify(name); err == nil && strings.IndexFunc(name, func(r rune) bool { return r < 0x21 || r > 0x7e }) >= 0 {
			t.Fatalf("%q accepted", name)
		}
		if classifyDir(name) == nil && strings.IndexFunc(name, func(r rune) bool { return r < 0x21 || r > 0x7e }) >= 0 {
			t.Fatalf("folder %q accepted", name)
		}
	})
}
