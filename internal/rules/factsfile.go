package rules

import (
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// ParseFacts reads a facts file: a mapping with `facts` (fact name →
// value, a list for an enum list) and `unknown` (names of facts asked that
// the person does not know), the same form as in a pack's tests. Every
// problem is reported with its line.
func (p *Pack) ParseFacts(name string, b []byte) ([]casefile.Fact, error) {
	var ps problems
	if len(b) > MaxFileSize {
		ps.add(name, 0, "larger than %d bytes", MaxFileSize)
		return nil, ps.err()
	}
	n := parseYAML(&ps, packFile, b) // a mapping, like pack.yaml
	if n == nil {
		for i := range ps.list {
			ps.list[i].File = name
		}
		return nil, ps.err()
	}
	l := &loader{ps: &ps, p: p}
	o, ok := asObj(&ps, name, n, "facts", "unknown")
	if !ok {
		return nil, ps.err()
	}
	facts := l.testFacts(o)
	if err := ps.err(); err != nil {
		return nil, err
	}
	return facts, nil
}
