package casefile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Type is the type of a fact's value.
type Type string

// The fact types. An enum holds one of its FactDef's Values; an enum list
// holds a set of them (no duplicates, in the order given).
const (
	TypeBool     Type = "bool"
	TypeInteger  Type = "integer"
	TypeDate     Type = "date"
	TypeEnum     Type = "enum"
	TypeText     Type = "text"
	TypeEnumList Type = "enum_list"
)

// Types lists every fact type.
func Types() []Type {
	return []Type{TypeBool, TypeInteger, TypeDate, TypeEnum, TypeText, TypeEnumList}
}

// Valid reports whether t is one of the fact types.
func (t Type) Valid() bool { return slices.Contains(Types(), t) }

// MaxTextLen is the longest text value accepted, in bytes.
const MaxTextLen = 64 << 10

// Value is a known fact value. Only the field matching Type is meaningful:
// Bool, Int, Date, Text (enum and text) or List (enum list).
type Value struct {
	Type Type
	Bool bool
	Int  int64
	Date Date
	Text string
	List []string
}

// Bool, Int, DateValue, Enum, Text and EnumList build values.
func Bool(b bool) Value              { return Value{Type: TypeBool, Bool: b} }
func Int(n int64) Value              { return Value{Type: TypeInteger, Int: n} }
func DateValue(d Date) Value         { return Value{Type: TypeDate, Date: d} }
func Enum(s string) Value            { return Value{Type: TypeEnum, Text: s} }
func Text(s string) Value            { return Value{Type: TypeText, Text: s} }
func EnumList(items ...string) Value { return Value{Type: TypeEnumList, List: items} }

// Equal reports whether v and w are the same value of the same type.
func (v Value) Equal(w Value) bool {
	if v.Type != w.Type {
		return false
	}
	switch v.Type {
	case TypeBool:
		return v.Bool == w.Bool
	case TypeInteger:
		return v.Int == w.Int
	case TypeDate:
		return v.Date == w.Date
	case TypeEnumList:
		return slices.Equal(v.List, w.List)
	default:
		return v.Text == w.Text
	}
}

// String renders the value for people: true/false, 42, 2024-05-01, the enum
// value, the text, or a comma-separated list.
func (v Value) String() string {
	switch v.Type {
	case TypeBool:
		return strconv.FormatBool(v.Bool)
	case TypeInteger:
		return strconv.FormatInt(v.Int, 10)
	case TypeDate:
		return v.Date.String()
	case TypeEnumList:
		return strings.Join(v.List, ", ")
	default:
		return v.Text
	}
}

// MarshalJSON writes the value as plain JSON of its type: a boolean, a
// number, a "YYYY-MM-DD" string, a string, or an array of strings.
func (v Value) MarshalJSON() ([]byte, error) {
	switch v.Type {
	case TypeBool:
		return json.Marshal(v.Bool)
	case TypeInteger:
		return json.Marshal(v.Int)
	case TypeDate:
		return json.Marshal(v.Date.String())
	case TypeEnumList:
		if v.List == nil {
			return []byte("[]"), nil
		}
		return json.Marshal(v.List)
	case TypeEnum, TypeText:
		return json.Marshal(v.Text)
	}
	return nil, fmt.Errorf("casefile: marshal value of unknown type %q", v.Type)
}

// DecodeValue decodes the JSON form of a value of def's type and checks it
// against def. The error message is safe to show.
func DecodeValue(def FactDef, raw json.RawMessage) (Value, error) {
	v, err := DecodeTyped(def.Type, raw)
	if err != nil {
		return Value{}, err
	}
	return v, def.Check(v)
}

// DecodeTyped decodes the JSON form of a value of type t, checking its shape
// but not a vocabulary's allowed values (the store uses it to read back what
// was checked when written).
func DecodeTyped(t Type, raw json.RawMessage) (Value, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return Value{}, fmt.Errorf("a value is required")
	}
	switch t {
	case TypeBool:
		var b bool
		if json.Unmarshal(raw, &b) != nil {
			return Value{}, fmt.Errorf("must be true or false")
		}
		return Bool(b), nil
	case TypeInteger:
		return decodeInteger(raw)
	case TypeDate:
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return Value{}, fmt.Errorf("must be a date string in the form YYYY-MM-DD")
		}
		d, err := ParseDate(s)
		if err != nil {
			return Value{}, err
		}
		return DateValue(d), nil
	case TypeEnum, TypeText:
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return Value{}, fmt.Errorf("must be a string")
		}
		return Value{Type: t, Text: s}, nil
	case TypeEnumList:
		var items []string
		if json.Unmarshal(raw, &items) != nil {
			return Value{}, fmt.Errorf("must be an array of strings")
		}
		return EnumList(items...), nil
	}
	return Value{}, fmt.Errorf("unknown fact type %q", t)
}

func decodeInteger(raw json.RawMessage) (Value, error) {
	if c := raw[0]; c != '-' && (c < '0' || c > '9') {
		return Value{}, fmt.Errorf("must be a whole number")
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var n json.Number
	if d.Decode(&n) != nil {
		return Value{}, fmt.Errorf("must be a whole number")
	}
	i, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil {
		return Value{}, fmt.Errorf("must be a whole number between -9223372036854775808 and 9223372036854775807")
	}
	return Int(i), nil
}

// ParseValue parses the textual form of a value of def's type, as typed on a
// command line, and checks it against def. Booleans accept true/false,
// yes/no, да/нет and ja/nein; an enum list is comma-separated.
func ParseValue(def FactDef, s string) (Value, error) {
	var v Value
	switch def.Type {
	case TypeBool:
		b, ok := parseBool(s)
		if !ok {
			return Value{}, fmt.Errorf("%q is not true or false", s)
		}
		v = Bool(b)
	case TypeInteger:
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return Value{}, fmt.Errorf("%q is not a whole number", s)
		}
		v = Int(n)
	case TypeDate:
		d, err := ParseDate(strings.TrimSpace(s))
		if err != nil {
			return Value{}, err
		}
		v = DateValue(d)
	case TypeEnum:
		v = Enum(strings.TrimSpace(s))
	case TypeText:
		v = Text(s)
	case TypeEnumList:
		v = EnumList(splitList(s)...)
	default:
		return Value{}, fmt.Errorf("unknown fact type %q", def.Type)
	}
	return v, def.Check(v)
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "y", "да", "ja":
		return true, true
	case "false", "no", "n", "нет", "nein":
		return false, true
	}
	return false, false
}

func splitList(s string) []string {
	items := []string{}
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			items = append(items, p)
		}
	}
	return items
}

// CheckText reports what is wrong with a free-text value, or nil: invalid
// UTF-8, control characters other than tab and newline, or too long.
func CheckText(s string, max int) error {
	switch {
	case !utf8.ValidString(s):
		return fmt.Errorf("must be valid UTF-8 text")
	case len(s) > max:
		return fmt.Errorf("is longer than %d bytes", max)
	case strings.IndexFunc(s, isBadControl) >= 0:
		return fmt.Errorf("may not contain control characters")
	}
	return nil
}

func isBadControl(r rune) bool {
	return r != '\n' && r != '\t' && r != '\r' && unicode.IsControl(r)
}
