package custody

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func sampleEvent() Event {
	return Event{Type: Ingest, Time: time.Date(2026, 11, 26, 10, 0, 0, 123e6, time.UTC),
		Case: strings.Repeat("a", 64), Object: strings.Repeat("b", 64), Cipher: strings.Repeat("c", 64),
		Actor: "caseworker:Lena W.", Prev: "-", Detail: ""}
}

func TestEvent_RoundTrip(t *testing.T) {
	e := sampleEvent()
	b, err := e.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(b)
	if err != nil || back != e {
		t.Fatalf("parse: %+v, %v", back, err)
	}
	for _, bad := range []string{
		strings.Replace(string(b), "type ingest", "type steal", 1),
		strings.Replace(string(b), "prev -", "prev x", 1),
		strings.Replace(string(b), ".123Z", ".123456Z", 1),
		strings.Replace(string(b), "\n", "\r\n", 1),
		string(b) + "extra line\n",
		strings.TrimSuffix(string(b), "\n"),
		strings.Replace(string(b), "actor caseworker:Lena W.", "actor caseworker:\x1b[31mLena", 1),
	} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func TestCommit_DependsOnSalt(t *testing.T) {
	doc := bytes.Repeat([]byte{1}, 32)
	a, b := Commit(bytes.Repeat([]byte{2}, 32), doc), Commit(bytes.Repeat([]byte{3}, 32), doc)
	if a == b || len(a) != 64 {
		t.Errorf("commitments %s %s", a, b)
	}
}

// FuzzParse checks that Parse never panics and that what it accepts has
// exactly one encoding (age's malleability check).
func FuzzParse(f *testing.F) {
	b, _ := sampleEvent().Marshal()
	f.Add(b)
	f.Add([]byte(EventHeader + "\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		e, err := Parse(in)
		if err != nil {
			return
		}
		out, err := e.Marshal()
		if err != nil || !bytes.Equal(out, in) {
			t.Fatalf("%q parsed but re-encodes as %q (%v)", in, out, err)
		}
	})
}
