package main

import (
	"testing"
	"time"
)

// TestFactSettle: a slot may show its last acknowledged value or one
// whose outcome is unknown, and nothing else; a group's two facts must
// come from one write.
func TestFactSettle(t *testing.T) {
	for _, tc := range []struct {
		name    string
		value   string
		pending []string
		seen    string
		ok      bool
	}{
		{"the acknowledged value", "a|1", nil, "a|1", true},
		{"an unknown outcome that happened", "a|1", []string{"b|2"}, "b|2", true},
		{"an acknowledged write lost", "a|1", nil, "|", false},
		{"a value nobody wrote", "a|1", []string{"b|2"}, "c|3", false},
		{"half of a group write", "a|1", []string{"b|2"}, "b|1", false},
		{"cleared, unknown outcome", "a|1", []string{""}, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &factRec{names: []string{"x", "y"}, value: tc.value, pending: tc.pending}
			if err := f.settle(tc.seen); (err == nil) != tc.ok {
				t.Fatalf("settle(%q) = %v, want ok %v", tc.seen, err, tc.ok)
			}
			if tc.ok && (f.value != tc.seen || f.pending != nil) {
				t.Errorf("after settle: %q %q", f.value, f.pending)
			}
		})
	}
}

// TestAckItem refuses an acknowledgement that does not match what was
// sent.
func TestAckItem(t *testing.T) {
	r := newRecord()
	c := r.addCase("SN-2026-0001", false)
	doc := document{seed: 1, size: 1000}
	u := &uploadRec{doc: doc, title: "t", sha: doc.sha256(), size: 1000}
	if err := r.ackItem(c, evidenceItem{ID: 1, Title: "t", Size: 999, SHA256: u.sha}, u); err == nil {
		t.Error("a short item was accepted")
	}
	if err := r.ackItem(c, evidenceItem{ID: 1, Title: "t", Size: 1000, SHA256: u.sha}, u); err != nil {
		t.Error(err)
	}
	if err := r.ackItem(c, evidenceItem{ID: 1, Title: "t", Size: 1000, SHA256: u.sha}, u); err == nil {
		t.Error("an item acknowledged twice was accepted")
	}
}

// TestRSSFlat judges memory by the medians of the first and last thirds.
func TestRSSFlat(t *testing.T) {
	series := func(kib ...int64) *rssSampler {
		r := &rssSampler{warmup: 0}
		for i, k := range kib {
			r.samples = append(r.samples, rssSample{at: time.Duration(i) * time.Second, kib: k})
		}
		return r
	}
	const mib = 1024
	if !series(60*mib, 70*mib, 58*mib, 62*mib, 61*mib, 66*mib, 60*mib, 63*mib, 59*mib).flat() {
		t.Error("noise around 60 MiB is not flat")
	}
	if series(60*mib, 62*mib, 64*mib, 70*mib, 75*mib, 80*mib, 90*mib, 95*mib, 100*mib).flat() {
		t.Error("60 → 100 MiB is flat")
	}
}

// TestDocument: the same seed makes the same bytes, and copyTo sends
// exactly the document.
func TestDocument(t *testing.T) {
	d := document{seed: 7, size: 3*chunkSize + 5}
	if d.sha256() != (document{seed: 7, size: d.size}).sha256() || d.sha256() == (document{seed: 8, size: d.size}).sha256() {
		t.Fatal("the seed does not decide the bytes")
	}
	var n countWriter
	if err := d.copyTo(&n, 0, nil); err != nil || int64(n) != d.size {
		t.Fatalf("copyTo wrote %d bytes (%v), want %d", n, err, d.size)
	}
}

type countWriter int64

func (w *countWriter) Write(p []byte) (int, error) { *w += countWriter(len(p)); return len(p), nil }

func TestTilePath(t *testing.T) {
	for n, want := range map[uint64]string{0: "000", 7: "007", 999: "999", 1000: "x001/000", 1234067: "x001/x234/067"} {
		if got := tilePath(n); got != want {
			t.Errorf("tilePath(%d) = %q, want %q", n, got, want)
		}
	}
}
