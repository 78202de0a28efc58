package custody

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func sampleEvent() Event {
	return Event{Type: Ingest, Time: time.Date(2026, 11, 26, 10, 0, 0, 123e6, time.UTC),
		Case: strings.Repeat("a", 64), Object: strings.Repeat("b", 64), Description: strings.Repeat("c", 64),
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
		strings.Replace(string(b), "description "+strings.Repeat("c", 64), "description -", 1), // an ingest commits to its description
		strings.Replace(string(b), "/v2\n", "/v1\n", 1),                                        // v1 has a cipher line, not a description
		strings.Replace(string(b), "/v2\n", "/v3\n", 1),
	} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

// TestEvent_V1StillReads: events of logs written before descriptions were
// committed parse, re-encode byte for byte, and are never written anew.
func TestEvent_V1StillReads(t *testing.T) {
	v1 := EventHeaderV1 + "\ntype view\ntime 2026-11-26T10:00:00.123Z\ncase " + strings.Repeat("a", 64) +
		"\nobject " + strings.Repeat("b", 64) + "\ncipher " + strings.Repeat("c", 64) + "\nactor lena@ngo.example\nprev " +
		strings.Repeat("d", 64) + "\ndetail \n"
	e, err := Parse([]byte(v1))
	if err != nil || e.Version != 1 || e.Cipher != strings.Repeat("c", 64) || e.Description != "" {
		t.Fatalf("v1: %+v, %v", e, err)
	}
	if again, _ := e.Marshal(); string(again) != v1 {
		t.Errorf("v1 re-encodes as %q", again)
	}
	e.Version = 0
	if _, err := e.Marshal(); err == nil {
		t.Error("a v2 event with a cipher was accepted")
	}
}

// TestEvent_DescriptionOnlyWhereItBelongs: ingest and annotate events
// commit to a description, every other type says "-".
func TestEvent_DescriptionOnlyWhereItBelongs(t *testing.T) {
	for _, typ := range Types() {
		e := sampleEvent()
		e.Type = typ
		_, errWith := e.Marshal()
		e.Description = "-"
		_, errWithout := e.Marshal()
		if describes := typ == Ingest || typ == Annotate; describes != (errWith == nil) || describes == (errWithout == nil) {
			t.Errorf("%s: with a description %v, without %v", typ, errWith, errWithout)
		}
	}
}

func TestDescription_EncodingAndCommitment(t *testing.T) {
	d := Description{Title: "Повестка военкомата (fictional)", Kind: "summons", DocumentDate: "2026-10-01",
		ObtainedFrom: "", ObtainedAt: "2026-10-03", Language: "ru", OriginalName: "scan.pdf",
		TranslationOf: "", DerivedFrom: strings.Repeat("e", 64)}
	enc, err := d.Encode()
	want := DescriptionHeader + "\ntitle Повестка военкомата (fictional)\nkind summons\ndocument_date 2026-10-01\n" +
		"obtained_from \nobtained_at 2026-10-03\nlanguage ru\noriginal_name scan.pdf\ntranslation_of \nderived_from " +
		strings.Repeat("e", 64) + "\n"
	if err != nil || string(enc) != want {
		t.Fatalf("encoding %q, %v", enc, err)
	}
	salt := bytes.Repeat([]byte{7}, SaltSize)
	c1, _ := CommitDescription(salt, d)
	d.Title += "."
	c2, _ := CommitDescription(salt, d)
	c3, _ := CommitDescription(bytes.Repeat([]byte{8}, SaltSize), d)
	if len(c1) != 64 || c1 == c2 || c2 == c3 {
		t.Errorf("commitments %s %s %s", c1, c2, c3)
	}
	for _, bad := range []Description{{Kind: "summons"}, {Title: "a\nkind x", Kind: "summons"}, {Title: "t", Kind: "Summons"},
		{Title: "t", Kind: "summons", DocumentDate: "1.10.2026"}, {Title: "t", Kind: "summons", TranslationOf: "12"}} {
		if _, err := bad.Encode(); err == nil {
			t.Errorf("encoded %+v", bad)
		}
	}
	if _, err := CommitDescription(salt[:5], d); err == nil {
		t.Error("a short salt was accepted")
	}
}

func TestExportDetail(t *testing.T) {
	h := strings.Repeat("f", 64)
	x := BundleExport{Manifest: h, Events: 3, CaseEvents: 0}
	if got, ok := ParseExport(x.Detail()); !ok || got != x || x.Detail() != "bundle "+h+" events 3 case 0" {
		t.Errorf("round trip: %+v %v", got, ok)
	}
	for _, bad := range []string{"evidence bundle", "bundle " + h + " events 0 case 0", "bundle " + h + " events 03 case 1",
		"bundle " + h[1:] + " events 3 case 0", "bundle " + h + " events 3", "bundle " + h + " events 3 case 01",
		"case key abc", "bundle " + h + " events 3 case 0 "} {
		if _, ok := ParseExport(bad); ok {
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
	f.Add([]byte(EventHeaderV1 + "\ntype view\ntime 2026-11-26T10:00:00.123Z\ncase " + strings.Repeat("a", 64) +
		"\nobject -\ncipher -\nactor a\nprev -\ndetail \n"))
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

// FuzzParseExport: no panic, and what parses is what BundleExport.Detail writes.
func FuzzParseExport(f *testing.F) {
	f.Add(BundleExport{Manifest: strings.Repeat("a", 64), Events: 2, CaseEvents: 1}.Detail())
	f.Add("case key 00")
	f.Fuzz(func(t *testing.T, s string) {
		if x, ok := ParseExport(s); ok && x.Detail() != s {
			t.Fatalf("%q parses as %+v", s, x)
		}
	})
}
