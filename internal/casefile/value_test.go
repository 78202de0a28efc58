package casefile

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func vocab(t testing.TB) *Vocabulary {
	t.Helper()
	return BuiltinVocabulary()
}

func TestParseValue(t *testing.T) {
	v := vocab(t)
	tests := []struct {
		fact, in string
		want     Value
		wantErr  string
	}{
		{"summons_received", "yes", Bool(true), ""},
		{"summons_received", "НЕТ", Bool(false), ""},
		{"summons_received", "Nein", Bool(false), ""},
		{"summons_received", "maybe", Value{}, "not true or false"},
		{"children_count", " 3 ", Int(3), ""},
		{"children_count", "3.5", Value{}, "not a whole number"},
		{"children_count", "99999999999999999999", Value{}, "not a whole number"},
		{"departure_date", "2022-09-21", DateValue(Date{2022, 9, 21}), ""},
		{"departure_date", "2024-02-29", DateValue(Date{2024, 2, 29}), ""},
		{"departure_date", "2023-02-29", Value{}, "not a real date"},
		{"departure_date", "21.09.2022", Value{}, "YYYY-MM-DD"},
		{"departure_date", "0999-01-01", Value{}, "four digits"},
		{"summons_kind", "electronic", Enum("electronic"), ""},
		{"summons_kind", "carrier pigeon", Value{}, "not one of"},
		{"criminal_articles", "art_328, art_337", EnumList("art_328", "art_337"), ""},
		{"criminal_articles", "", EnumList(), ""},
		{"criminal_articles", "art_328,art_328", Value{}, "listed twice"},
		{"criminal_articles", "art_999", Value{}, "not one of"},
		{"statement", "Я уехал 27 сентября.\nПотом…", Text("Я уехал 27 сентября.\nПотом…"), ""},
		{"statement", "bell\a", Value{}, "control characters"},
		{"statement", strings.Repeat("x", MaxTextLen+1), Value{}, "longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.fact+"/"+tt.in[:min(len(tt.in), 12)], func(t *testing.T) {
			def, ok := v.Lookup(tt.fact)
			if !ok {
				t.Fatalf("no fact %s", tt.fact)
			}
			got, err := ParseValue(def, tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !got.Equal(tt.want) {
				t.Fatalf("ParseValue = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestDecodeValue(t *testing.T) {
	v := vocab(t)
	tests := []struct {
		fact, raw string
		ok        bool
	}{
		{"summons_received", `true`, true},
		{"summons_received", `"true"`, false},
		{"summons_received", `null`, false},
		{"children_count", `2`, true},
		{"children_count", `2.0`, false},
		{"children_count", `1e3`, false},
		{"children_count", `"2"`, false},
		{"departure_date", `"2022-09-21"`, true},
		{"departure_date", `"2022-13-01"`, false},
		{"departure_date", `20220921`, false},
		{"summons_kind", `"paper"`, true},
		{"summons_kind", `["paper"]`, false},
		{"criminal_articles", `["art_338"]`, true},
		{"criminal_articles", `"art_338"`, false},
		{"criminal_articles", `[1]`, false},
		{"statement", `"text"`, true},
		{"statement", ``, false},
	}
	for _, tt := range tests {
		def, _ := v.Lookup(tt.fact)
		_, err := DecodeValue(def, json.RawMessage(tt.raw))
		if (err == nil) != tt.ok {
			t.Errorf("DecodeValue(%s, %s): err = %v, want ok=%v", tt.fact, tt.raw, err, tt.ok)
		}
	}
}

// FuzzParseValue checks that the command-line parser never panics, accepts
// only values its fact allows, and that what it accepts survives a JSON
// round trip unchanged.
func FuzzParseValue(f *testing.F) {
	for _, s := range []string{"yes", "нет", "42", "-7", "2022-09-21", "2023-02-29", "paper", "art_328,art_337", "", ",,", "\x00", "текст"} {
		f.Add(s)
	}
	defs := BuiltinVocabulary().Defs()
	f.Fuzz(func(t *testing.T, s string) {
		for _, def := range defs {
			v, err := ParseValue(def, s)
			if err != nil {
				continue
			}
			if err := def.Check(v); err != nil {
				t.Fatalf("%s: ParseValue(%q) accepted a value its fact refuses: %v", def.Name, s, err)
			}
			roundTrip(t, def, v)
		}
	})
}

// FuzzDecodeValue does the same for the JSON form the API receives.
func FuzzDecodeValue(f *testing.F) {
	for _, s := range []string{`true`, `0`, `1.5`, `"2022-09-21"`, `"paper"`, `["art_328"]`, `[`, `{}`, `null`, `"\u0000"`, `99999999999999999999`} {
		f.Add([]byte(s))
	}
	defs := BuiltinVocabulary().Defs()
	f.Fuzz(func(t *testing.T, raw []byte) {
		for _, def := range defs {
			v, err := DecodeValue(def, raw)
			if err != nil {
				if !utf8.ValidString(err.Error()) {
					t.Fatalf("error message is not UTF-8: %q", err)
				}
				continue
			}
			roundTrip(t, def, v)
		}
	})
}

func roundTrip(t *testing.T, def FactDef, v Value) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%s: marshal %v: %v", def.Name, v, err)
	}
	back, err := DecodeValue(def, b)
	if err != nil || !back.Equal(v) {
		t.Fatalf("%s: %v → %s → %v, %v", def.Name, v, b, back, err)
	}
}
