package specverify

import (
	"strings"
	"testing"
)

// TestReforgeControl: the reforge machinery alone yields a consistent
// bundle, verified only under the forger's key. So each reforged forgery is
// refused for its own rule, and a complete forgery is caught by the key.
func TestReforgeControl(t *testing.T) {
	dir, vkey := sampleBundle(t)
	k := newKitInfo(t, dir, vkey)
	check := func(t *testing.T, d, forger string) {
		t.Helper()
		r := Verify(d, forger, "")
		if !r.Consistent || !r.Verified {
			t.Fatalf("reforged bundle under the forger's key: %+v", r)
		}
		if r.KeySHA256 != fingerprint(forger) {
			t.Errorf("KeySHA256 is not the forger key's")
		}
		for _, c := range []Result{Verify(d, vkey, ""), Verify(d, "", fingerprint(vkey))} {
			if !c.Consistent || c.Verified {
				t.Errorf("reforged bundle verified under the organisation's key: %+v", c)
			}
		}
	}
	t.Run("unchanged", func(t *testing.T) {
		d := copyBundle(t, dir)
		check(t, d, reforge(t, d, reforgeOpts{}))
	})
	t.Run("title rewritten with its commitment and event", func(t *testing.T) {
		d := copyBundle(t, dir)
		rewriteDescription(t, d, k.first(), func(it *item) { it.strs["title"] = "Forged title" })
		check(t, d, reforge(t, d, reforgeOpts{}))
	})
	t.Run("title with & < > in Go's HTML-escaped spelling", func(t *testing.T) {
		d := copyBundle(t, dir)
		rewriteDescription(t, d, k.first(), func(it *item) { it.strs["title"] = "A & B <c>" })
		if !strings.Contains(string(readF(t, d, k.first()+"/item.json")), `\u0026`) {
			t.Fatal("not the escaped spelling")
		}
		check(t, d, reforge(t, d, reforgeOpts{}))
	})
	t.Run("title with U+2028, U+202E and an emoji (not control characters)", func(t *testing.T) {
		d := copyBundle(t, dir)
		rewriteDescription(t, d, k.first(), func(it *item) { it.strs["title"] = "A\u2028B \u202eC \U0001F4C4" })
		if !strings.Contains(string(readF(t, d, k.first()+"/item.json")), `\u2028`) {
			t.Fatal("U+2028 not escaped")
		}
		check(t, d, reforge(t, d, reforgeOpts{}))
	})
	t.Run("a case key export omitted, K recomputed (caught only by the key)", func(t *testing.T) {
		if len(k.caseEv) == 0 {
			lacks(t, "no case events")
		}
		d := copyBundle(t, dir)
		// The leaf stays in the log; the bundle just leaves it out, and
		// the case folder with it.
		leaf := readF(t, d, k.caseEvent())
		removeF(t, d, "case")
		check(t, d, reforge(t, d, reforgeOpts{extraLeaves: map[int64][]byte{k.caseEv[0]: leaf}}))
	})
	t.Run("an earlier export to another bundle: an ordinary event, any N and K", func(t *testing.T) {
		d := copyBundle(t, dir)
		if !earlierExport(t, d, k, "bundle "+strings.Repeat("c", 64)+" events 7 case 3") {
			lacks(t, "no item with two listed events")
		}
		check(t, d, reforge(t, d, reforgeOpts{}))
	})
	t.Run("an export of one chosen item, renumbered 0001", func(t *testing.T) {
		if len(k.items) < 2 {
			lacks(t, "one item only")
		}
		d := copyBundle(t, dir)
		removeF(t, d, "items")
		for _, f := range bundleFiles(t, dir) {
			if rest, ok := strings.CutPrefix(f, k.items[1]+"/"); ok {
				writeF(t, d, "items/0001/"+rest, readF(t, dir, f))
			}
		}
		editItem(t, d, "items/0001", func(x *item) { x.nums["item"] = 1 })
		check(t, d, reforge(t, d, reforgeOpts{}))
	})
	t.Run("a v1 ingest before every v2 event", func(t *testing.T) {
		// Only when the bundle's first event is an ingest with a later annotate.
		first, minIdx := "", k.maxIndex()+1
		for _, it := range k.items {
			if i := k.events[it][0]; i < minIdx {
				first, minIdx = it, i
			}
		}
		for _, i := range k.caseEv {
			if i < minIdx {
				lacks(t, "a case event comes first")
			}
		}
		d := copyBundle(t, dir)
		if lastDescEvent(t, d, first) == k.ev(first, 0) {
			lacks(t, "the first item has no annotate")
		}
		editEvent(t, d, k.ev(first, 0), toV1)
		check(t, d, reforge(t, d, reforgeOpts{}))
	})
}

// TestWitnessSignatureIgnored: a signature by another key (a witness's)
// beside the log key's one is ignored; the bundle stays verified.
func TestWitnessSignatureIgnored(t *testing.T) {
	dir, vkey := sampleBundle(t)
	for _, before := range []bool{false, true} {
		d := copyBundle(t, dir)
		old := string(readF(t, d, "checkpoint"))
		w := witnessLine(t, old)
		cp := old + w
		if before {
			i := strings.LastIndex(old, "\n\n") + 2
			cp = old[:i] + w + old[i:]
		}
		replaceCheckpoint(t, d, []byte(cp))
		if r := Verify(d, vkey, ""); !r.Verified {
			t.Errorf("witness signature (before the log's: %v): %+v", before, r)
		}
	}
}

// TestBitFlips flips one bit at many places of every file: each is refused.
func TestBitFlips(t *testing.T) {
	dir, vkey := sampleBundle(t)
	d := copyBundle(t, dir)
	for _, name := range bundleFiles(t, d) {
		orig := readF(t, d, name)
		var pos []int
		if len(orig) <= 64 {
			for i := range orig {
				pos = append(pos, i)
			}
		} else {
			for i := 0; i < 64; i++ {
				pos = append(pos, i*len(orig)/64)
			}
			pos = append(pos, len(orig)-1)
		}
		for _, p := range pos {
			b := append([]byte(nil), orig...)
			b[p] ^= 1 << (p % 8)
			writeF(t, d, name, b)
			if r := Verify(d, vkey, ""); r.Consistent {
				t.Errorf("%s: bit %d of byte %d flipped, still consistent", name, p%8, p)
			}
		}
		writeF(t, d, name, orig)
	}
	if r := Verify(d, vkey, ""); !r.Verified {
		t.Fatalf("restored copy: %+v", r)
	}
}

// TestTruncations empties or halves every file in turn: each is refused.
func TestTruncations(t *testing.T) {
	dir, vkey := sampleBundle(t)
	d := copyBundle(t, dir)
	for _, name := range bundleFiles(t, d) {
		orig := readF(t, d, name)
		for _, n := range []int{0, len(orig) / 2, len(orig) - 1} {
			if n >= len(orig) {
				continue
			}
			writeF(t, d, name, orig[:n])
			if r := Verify(d, vkey, ""); r.Consistent {
				t.Errorf("%s truncated to %d bytes, still consistent", name, n)
			}
		}
		writeF(t, d, name, orig)
	}
}

// TestOversizedEvent: an event of 10 MiB is refused without being read whole.
func TestOversizedEvent(t *testing.T) {
	dir, vkey := sampleBundle(t)
	d := copyBundle(t, dir)
	k := newKitInfo(t, d, vkey)
	name := k.ev(k.first(), 0)
	writeF(t, d, name, append(readF(t, d, name), make([]byte, 10<<20)...))
	r := Verify(d, vkey, "")
	if r.Consistent || !hasProblem(r, "larger than 4096 bytes") {
		t.Fatalf("%+v", r)
	}
}
