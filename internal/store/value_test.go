package store

import (
	"testing"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

func TestValueEncoding_RoundTrip(t *testing.T) {
	for _, v := range []casefile.Value{
		casefile.Bool(true), casefile.Bool(false), casefile.Int(-42), casefile.Int(9223372036854775807),
		casefile.DateValue(casefile.Date{Year: 2022, Month: 9, Day: 21}), casefile.Enum("paper"),
		casefile.Text(""), casefile.Text("многострочный\nтекст, with commas, and \x00? no: tabs\t"),
		casefile.EnumList(), casefile.EnumList("art_328"), casefile.EnumList("a", "b", "c"),
	} {
		got, err := decodeValue(encodeValue(v))
		if err != nil || !got.Equal(v) {
			t.Errorf("%#v → %q → %#v, %v", v, encodeValue(v), got, err)
		}
	}
}

// FuzzDecodeValue checks that no stored bytes make the decoder panic, and
// that what it accepts encodes back to a value that decodes the same.
func FuzzDecodeValue(f *testing.F) {
	for _, s := range []string{"bool\x00true", "integer\x00-1", "date\x002022-02-30", "enum_list\x00a\x1fb", "text\x00", "x", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := decodeValue(b)
		if err != nil {
			return
		}
		again, err := decodeValue(encodeValue(v))
		if err != nil || !again.Equal(v) {
			t.Fatalf("%q → %#v → %#v, %v", b, v, again, err)
		}
	})
}
