package specverify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// item is the content of an item.json.
type item struct {
	strs   map[string]string
	nums   map[string]int64
	events []int64
}

func (it *item) s(key string) string { return it.strs[key] }

// itemKeys are the keys of item.json, in their order, with their JSON type:
// 's' string, 'n' number, 'a' array of numbers.
var itemKeys = []struct {
	name string
	typ  byte
}{
	{"format", 's'},
	{"item", 'n'},
	{"title", 's'},
	{"kind", 's'},
	{"document_date", 's'},
	{"obtained_from", 's'},
	{"obtained_at", 's'},
	{"language", 's'},
	{"original_name", 's'},
	{"translation_of", 's'},
	{"derived_from", 's'},
	{"description_salt", 's'},
	{"description", 's'},
	{"size", 'n'},
	{"sha256", 's'},
	{"salt", 's'},
	{"commitment", 's'},
	{"events", 'a'},
}

func keyType(name string) (byte, bool) {
	for _, k := range itemKeys {
		if k.name == name {
			return k.typ, true
		}
	}
	return 0, false
}

// parseItemJSON reads item.json at the level of JSON tokens (so that a
// duplicate key, which encoding/json would silently resolve to the last
// one, is refused), checks the keys (each once, none unknown, none missing,
// in order) and types, and then requires the file to be byte for byte the
// spelling the specification defines: Go's json.MarshalIndent(item, "", "  ")
// of the same values followed by one LF (two-space indentation, one key per
// line, the array's numbers one per line, strings with <, >, &, U+2028 and
// U+2029 escaped as \u003c, \u003e, \u0026, \u2028, \u2029).
func parseItemJSON(data []byte) (*item, []string) {
	var probs []string
	bad := func(format string, args ...any) {
		probs = append(probs, fmt.Sprintf(format, args...))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		bad("is not a JSON object")
		return nil, probs
	}
	it := &item{strs: map[string]string{}, nums: map[string]int64{}}
	seen := map[string]bool{}
	var order []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			bad("is not valid JSON: %v", err)
			return nil, probs
		}
		key, ok := tok.(string)
		if !ok {
			bad("is not valid JSON")
			return nil, probs
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			bad("is not valid JSON: %v", err)
			return nil, probs
		}
		if seen[key] {
			bad("has the key '%s' twice", key)
			continue
		}
		seen[key] = true
		order = append(order, key)
		typ, known := keyType(key)
		if !known {
			bad("has the unknown key '%s'", key)
			continue
		}
		switch typ {
		case 's':
			if len(raw) == 0 || raw[0] != '"' {
				bad("'%s' is not a string", key)
				continue
			}
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				bad("'%s' is not a string: %v", key, err)
				continue
			}
			it.strs[key] = s
		case 'n':
			n, err := parseJSONNumber(string(raw))
			if err != nil {
				bad("'%s' %v", key, err)
				continue
			}
			it.nums[key] = n
		case 'a':
			evs, err := parseNumberArray(raw)
			if err != nil {
				bad("'%s' %v", key, err)
				continue
			}
			it.events = evs
		}
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		bad("is not valid JSON")
		return nil, probs
	}
	if _, err := dec.Token(); err != io.EOF {
		bad("holds something after its object")
		return nil, probs
	}
	for _, k := range itemKeys {
		if !seen[k.name] {
			bad("lacks the key '%s'", k.name)
		}
	}
	if len(probs) > 0 {
		return nil, probs
	}
	for i, k := range itemKeys {
		if order[i] != k.name {
			bad("keys are not in the order of the specification ('%s' where '%s' belongs)", order[i], k.name)
			return nil, probs
		}
	}
	if r, err := it.render(); err != nil || !bytes.Equal(data, r) {
		bad("is not written as the specification spells it (json.MarshalIndent with two-space indentation and HTML escaping, final LF)")
		return nil, probs
	}
	return it, nil
}

// parseJSONNumber accepts a non-negative integer without leading zeros,
// sign, fraction or exponent, that fits an int64.
func parseJSONNumber(s string) (int64, error) {
	if !isDecimal(s) {
		return 0, errors.New("is not a non-negative integer in decimal")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, errors.New("is too large")
	}
	return n, nil
}

func parseNumberArray(raw []byte) ([]int64, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, errors.New("is not an array")
	}
	out := []int64{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, errors.New("is not an array of numbers")
		}
		num, ok := tok.(json.Number)
		if !ok {
			return nil, errors.New("is not an array of numbers")
		}
		n, err := parseJSONNumber(num.String())
		if err != nil {
			return nil, fmt.Errorf("holds %s, which %v", num, err)
		}
		out = append(out, n)
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim(']') {
		return nil, errors.New("is not an array")
	}
	return out, nil
}

// itemOut is item.json's object, its fields in the specification's order.
type itemOut struct {
	Format          string  `json:"format"`
	Item            int64   `json:"item"`
	Title           string  `json:"title"`
	Kind            string  `json:"kind"`
	DocumentDate    string  `json:"document_date"`
	ObtainedFrom    string  `json:"obtained_from"`
	ObtainedAt      string  `json:"obtained_at"`
	Language        string  `json:"language"`
	OriginalName    string  `json:"original_name"`
	TranslationOf   string  `json:"translation_of"`
	DerivedFrom     string  `json:"derived_from"`
	DescriptionSalt string  `json:"description_salt"`
	Description     string  `json:"description"`
	Size            int64   `json:"size"`
	SHA256          string  `json:"sha256"`
	Salt            string  `json:"salt"`
	Commitment      string  `json:"commitment"`
	Events          []int64 `json:"events"`
}

// render writes the item as the specification spells item.json:
// json.MarshalIndent(item, "", "  ") and one LF.
func (it *item) render() ([]byte, error) {
	events := it.events
	if events == nil {
		events = []int64{}
	}
	out := itemOut{
		Format: it.s("format"), Item: it.nums["item"],
		Title: it.s("title"), Kind: it.s("kind"), DocumentDate: it.s("document_date"),
		ObtainedFrom: it.s("obtained_from"), ObtainedAt: it.s("obtained_at"),
		Language: it.s("language"), OriginalName: it.s("original_name"),
		TranslationOf: it.s("translation_of"), DerivedFrom: it.s("derived_from"),
		DescriptionSalt: it.s("description_salt"), Description: it.s("description"),
		Size: it.nums["size"], SHA256: it.s("sha256"), Salt: it.s("salt"),
		Commitment: it.s("commitment"), Events: events,
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
