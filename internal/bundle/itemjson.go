package bundle

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// EncodeItem writes item.json in its one encoding: the fields of ItemFile
// in order, indented by two spaces, with a final newline.
func EncodeItem(it ItemFile) ([]byte, error) {
	if it.Events == nil {
		it.Events = []int64{}
	}
	b, err := json.MarshalIndent(it, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// itemKeys are item.json's keys, in order.
var itemKeys = func() []string {
	t := reflect.TypeFor[ItemFile]()
	keys := make([]string, t.NumField())
	for i := range keys {
		keys[i] = strings.Split(t.Field(i).Tag.Get("json"), ",")[0]
	}
	return keys
}()

// decodeItem reads item.json strictly: one JSON object with exactly the
// keys of the format, each once (a reader that takes the first of two
// equal keys and one that takes the last would see different items), and
// the bytes must be the encoding EncodeItem writes.
func decodeItem(raw []byte) (ItemFile, error) {
	var it ItemFile
	if err := checkKeys(raw); err != nil {
		return it, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&it); err != nil {
		return it, fmt.Errorf("is not valid: %v", err)
	}
	if it.Format == ItemFormatV1 {
		return it, errors.New("is in the format of bundles made before descriptions were committed in the custody log: ask the organisation for a new export")
	}
	if it.Format != ItemFormat {
		return it, fmt.Errorf("is not a %s description", ItemFormat)
	}
	again, err := EncodeItem(it)
	if err != nil || !bytes.Equal(again, raw) {
		return it, errors.New("is not in the one encoding the format defines (changed by hand?)")
	}
	return it, nil
}

// checkKeys refuses duplicate keys at any depth, and requires the top
// object to hold exactly the format's keys.
func checkKeys(raw []byte) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	top, err := scanValue(dec, 0)
	if err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("holds something after its object")
	}
	for _, k := range itemKeys {
		if !top[k] {
			return fmt.Errorf("lacks the key %q", k)
		}
	}
	if len(top) != len(itemKeys) {
		return errors.New("has keys the format does not define")
	}
	return nil
}

// scanValue reads one JSON value, failing on a duplicate key in any
// object; for an object at depth 0 it returns the keys it holds.
func scanValue(dec *json.Decoder, depth int) (map[string]bool, error) {
	if depth > 10 {
		return nil, errors.New("is nested too deeply")
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("is not valid JSON: %v", err)
	}
	d, ok := tok.(json.Delim)
	if !ok {
		if depth == 0 {
			return nil, errors.New("is not a JSON object")
		}
		return nil, nil
	}
	if d == '[' {
		for dec.More() {
			if _, err := scanValue(dec, depth+1); err != nil {
				return nil, err
			}
		}
		_, err := dec.Token()
		return nil, err
	}
	if d != '{' {
		return nil, errors.New("is not valid JSON")
	}
	keys := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("is not valid JSON: %v", err)
		}
		k, _ := tok.(string)
		if keys[k] {
			return nil, fmt.Errorf("has the key %q twice", SafeName(k))
		}
		keys[k] = true
		if _, err := scanValue(dec, depth+1); err != nil {
			return nil, err
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return keys, nil
}
