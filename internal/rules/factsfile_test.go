package rules

import (
	"strings"
	"testing"
	"time"
)

func TestParseFacts(t *testing.T) {
	p := loadMini(t)
	facts, err := p.ParseFacts("f.yaml", []byte("facts:\n  has_summons: true\n  summons_form: electronic\n  birth_date: 1999-01-31\nunknown: [proof_held]\n"))
	if err != nil || len(facts) != 4 {
		t.Fatalf("facts %+v, %v", facts, err)
	}
	for _, bad := range []struct{ in, want string }{
		{"facts:\n  has_summons: maybe\n", "f.yaml:2: facts: has_summons: \"maybe\" is not true or false"},
		{"facts:\n  shoe_size: 44\n", "f.yaml:2: unknown field \"shoe_size\""},
		{"unknown: [nothing]\n", "f.yaml:1: unknown: \"nothing\" is not a fact"},
		{"facts: [\n", "f.yaml:1: not valid YAML"},
		{"- a\n", "f.yaml:1: the file must hold a mapping"},
		{"colour: red\n", "f.yaml:1: unknown field \"colour\""},
	} {
		_, err := p.ParseFacts("f.yaml", []byte(bad.in))
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: err = %v, want %q", bad.in, err, bad.want)
		}
	}
}

// FuzzParseFacts feeds arbitrary bytes to the facts-file parser and to the
// assessment: no panic, and whatever parses can be assessed.
func FuzzParseFacts(f *testing.F) {
	for _, s := range []string{"facts:\n  has_summons: true\n", "unknown: [proof_held]\n", "facts: {birth_date: 2000-02-29}\n", "facts:\n  summons_form: [a, b]\n", "{", ""} {
		f.Add([]byte(s))
	}
	p := loadMini(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		facts, err := p.ParseFacts("f.yaml", b)
		if err != nil {
			return
		}
		if _, err := p.Assess(facts, Query{AsOf: day("2024-06-01")}); err != nil {
			t.Fatalf("parsed facts do not assess: %v", err)
		}
	})
}

// FuzzLoad breaks pack files in arbitrary ways: loading must never panic,
// and must either fail with problems or give a pack that assesses.
func FuzzLoad(f *testing.F) {
	files := miniFiles(f)
	names := sortedNames(files)
	for i, name := range names {
		f.Add(uint8(i), files[name])
	}
	f.Add(uint8(0), []byte("condition: 'x' +"))
	f.Fuzz(func(t *testing.T, which uint8, content []byte) {
		start := time.Now()
		defer func() {
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("took %v on %s = %q", d, names[int(which)%len(names)], content)
			}
		}()
		fs := miniFiles(t)
		fs[names[int(which)%len(names)]] = content
		p, err := ParseFiles(fs)
		if err != nil {
			if _, ok := err.(*LintError); !ok {
				t.Fatalf("error is not a LintError: %v", err)
			}
			return
		}
		if _, err := p.Assess(nil, Query{AsOf: day("2024-06-01")}); err != nil {
			t.Fatalf("loaded pack does not assess: %v", err)
		}
		p.RunTests()
	})
}
