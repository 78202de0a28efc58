package audit

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// MaxLine is the longest line of an export accepted.
const MaxLine = 64 << 10

// ParseExport reads an export written as JSON lines, one entry per line,
// refusing unknown fields and over-long lines.
func ParseExport(r io.Reader) ([]Entry, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), MaxLine)
	var out []Entry
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		var e Entry
		if err := dec.Decode(&e); err != nil {
			return nil, fmt.Errorf("audit: line %d: %v", n, err)
		}
		if dec.More() {
			return nil, fmt.Errorf("audit: line %d: more than one entry", n)
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("audit: %v", err)
	}
	return out, nil
}
