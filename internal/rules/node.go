package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// obj is a YAML mapping being read into a pack type. Every read reports its
// problem with the file and line of the field.
type obj struct {
	ps     *problems
	file   string
	line   int
	fields map[string]*yaml.Node
	keys   map[string]int // field → line of its key
}

// asObj reads a mapping node, reporting fields not in allowed.
func asObj(ps *problems, file string, n *yaml.Node, allowed ...string) (*obj, bool) {
	if n.Kind != yaml.MappingNode {
		ps.add(file, n.Line, "expected a mapping (key: value pairs), found %s", kindName(n))
		return nil, false
	}
	o := &obj{ps: ps, file: file, line: n.Line, fields: map[string]*yaml.Node{}, keys: map[string]int{}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !slices.Contains(allowed, k.Value) {
			ps.add(file, k.Line, "unknown field %q (allowed: %s)", k.Value, strings.Join(allowed, ", "))
			continue
		}
		if _, dup := o.fields[k.Value]; dup {
			ps.add(file, k.Line, "field %q given twice", k.Value)
		}
		o.fields[k.Value], o.keys[k.Value] = v, k.Line
	}
	return o, true
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.ScalarNode:
		return fmt.Sprintf("the value %q", n.Value)
	}
	return "something else"
}

// lineOf returns the line of a field, or of the object if it is absent.
func (o *obj) lineOf(field string) int {
	if n, ok := o.fields[field]; ok {
		return n.Line
	}
	return o.line
}

func (o *obj) has(field string) bool {
	n, ok := o.fields[field]
	return ok && !(n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

func (o *obj) errf(field, format string, args ...any) {
	o.ps.add(o.file, o.lineOf(field), field+": "+format, args...)
}

// str reads a scalar string; required fields must be present and non-empty.
func (o *obj) str(field string, required bool) string {
	n, ok := o.fields[field]
	if !ok || (n.Kind == yaml.ScalarNode && n.Tag == "!!null") {
		if required {
			o.ps.add(o.file, o.line, "%s is required", field)
		}
		return ""
	}
	if n.Kind != yaml.ScalarNode {
		o.errf(field, "must be a single value, found %s", kindName(n))
		return ""
	}
	if required && strings.TrimSpace(n.Value) == "" {
		o.errf(field, "may not be empty")
	}
	return n.Value
}

var idForm = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,99}$`)

// id reads an identifier of lower-case letters, digits and hyphens.
func (o *obj) id(field string) string {
	s := o.str(field, true)
	if s != "" && !idForm.MatchString(s) {
		o.errf(field, "%q must be lower-case letters, digits and hyphens", s)
	}
	return s
}

// date reads a YYYY-MM-DD date.
func (o *obj) date(field string, required bool) *casefile.Date {
	s := o.str(field, required)
	if s == "" {
		return nil
	}
	d, err := casefile.ParseDate(s)
	if err != nil {
		o.errf(field, "%v", err)
		return nil
	}
	return &d
}

// integer reads a whole number.
func (o *obj) integer(field string, required bool) int {
	s := o.str(field, required)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		o.errf(field, "%q is not a whole number", s)
	}
	return n
}

// boolean reads true or false; a missing field is false.
func (o *obj) boolean(field string) bool {
	switch s := o.str(field, false); s {
	case "", "false":
		return false
	case "true":
		return true
	default:
		o.errf(field, "%q is not true or false", s)
		return false
	}
}

// text reads a {ru, en, de} mapping; all three are required when required.
func (o *obj) text(field string, required bool) Text {
	n, ok := o.fields[field]
	if !ok {
		if required {
			o.ps.add(o.file, o.line, "%s is required (in ru, en and de)", field)
		}
		return nil
	}
	t, ok := readText(o.ps, o.file, n, field)
	if !ok {
		return nil
	}
	return t
}

func readText(ps *problems, file string, n *yaml.Node, field string) (Text, bool) {
	to, ok := asObj(ps, file, n, languages[:]...)
	if !ok {
		return nil, false
	}
	t := Text{}
	for _, lang := range languages {
		s := to.str(lang, false)
		if strings.TrimSpace(s) == "" {
			ps.add(file, n.Line, "%s: the %s text is missing", field, lang)
			continue
		}
		t[lang] = strings.TrimSpace(s)
	}
	return t, true
}

// strings reads a list of scalars.
func (o *obj) strings(field string) []string {
	n, ok := o.fields[field]
	if !ok || (n.Kind == yaml.ScalarNode && n.Tag == "!!null") {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		o.errf(field, "must be a list, found %s", kindName(n))
		return nil
	}
	var out []string
	for _, it := range n.Content {
		if it.Kind != yaml.ScalarNode {
			o.ps.add(o.file, it.Line, "%s: each item must be a single value, found %s", field, kindName(it))
			continue
		}
		out = append(out, it.Value)
	}
	return out
}

// items returns the nodes of a list field.
func (o *obj) items(field string, required bool) []*yaml.Node {
	n, ok := o.fields[field]
	if !ok || (n.Kind == yaml.ScalarNode && n.Tag == "!!null") {
		if required {
			o.ps.add(o.file, o.line, "%s is required", field)
		}
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		o.errf(field, "must be a list, found %s", kindName(n))
		return nil
	}
	return n.Content
}

// enum reads a scalar that must be one of allowed.
func (o *obj) enum(field string, allowed ...string) string {
	s := o.str(field, true)
	if s != "" && !slices.Contains(allowed, s) {
		o.errf(field, "%q must be one of: %s", s, strings.Join(allowed, ", "))
	}
	return s
}
