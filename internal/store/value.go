package store

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// A known fact value is stored (inside its seal) as its type, a zero byte,
// and its text: "bool\x00true", "date\x00 2022-09-21", an enum list as its
// items joined by the unit separator 0x1F. It carries its type so that it
// reads back even after the vocabulary changed, and it decodes without
// JSON, which matters when a case with hundreds of facts is opened.
const listSep = "\x1f"

func encodeValue(v casefile.Value) []byte {
	text := v.String()
	if v.Type == casefile.TypeEnumList {
		text = strings.Join(v.List, listSep)
	}
	return []byte(string(v.Type) + "\x00" + text)
}

func decodeValue(b []byte) (casefile.Value, error) {
	t, text, ok := bytes.Cut(b, []byte{0})
	if !ok {
		return casefile.Value{}, fmt.Errorf("store: stored value has no type")
	}
	s := string(text)
	switch typ := casefile.Type(t); typ {
	case casefile.TypeBool:
		b, err := strconv.ParseBool(s)
		return casefile.Bool(b), err
	case casefile.TypeInteger:
		n, err := strconv.ParseInt(s, 10, 64)
		return casefile.Int(n), err
	case casefile.TypeDate:
		d, err := casefile.ParseDate(s)
		return casefile.DateValue(d), err
	case casefile.TypeEnum, casefile.TypeText:
		return casefile.Value{Type: typ, Text: s}, nil
	case casefile.TypeEnumList:
		if s == "" {
			return casefile.EnumList(), nil
		}
		return casefile.EnumList(strings.Split(s, listSep)...), nil
	}
	return casefile.Value{}, fmt.Errorf("store: stored value has unknown type %q", t)
}
