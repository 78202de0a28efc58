package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// The files of a pack.
const (
	packFile          = "pack.yaml"
	sourcesFile       = "sources.yaml"
	jurisdictionsFile = "jurisdictions.yaml"
	factsFile         = "facts.yaml"
	rulesDir          = "rules"
	testsDir          = "tests"
)

// MaxFileSize bounds each file of a pack.
const MaxFileSize = 4 << 20

// Load reads the pack in fsys and checks all of it. A pack with any
// problem does not load: the error is a *LintError listing every problem
// with its file and line.
func Load(fsys fs.FS) (*Pack, error) {
	files, err := readFiles(fsys)
	if err != nil {
		return nil, err
	}
	return parse(files)
}

// readFiles reads the pack's YAML files: the four at the top and every
// .yaml file in rules/ and tests/.
func readFiles(fsys fs.FS) (map[string][]byte, error) {
	names := []string{packFile, sourcesFile, jurisdictionsFile, factsFile}
	for _, dir := range []string{rulesDir, testsDir} {
		matches, err := fs.Glob(fsys, dir+"/*.yaml")
		if err != nil {
			return nil, fmt.Errorf("rules: list %s: %w", dir, err)
		}
		names = append(names, matches...)
	}
	files := map[string][]byte{}
	var ps problems
	for _, name := range names {
		b, err := readFile(fsys, name)
		if err != nil {
			ps.add(name, 0, "%v", err)
			continue
		}
		files[name] = b
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	return files, nil
}

func readFile(fsys fs.FS, name string) ([]byte, error) {
	st, err := fs.Stat(fsys, name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("the file is missing")
	}
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file")
	}
	if st.Size() > MaxFileSize {
		return nil, fmt.Errorf("larger than %d bytes", MaxFileSize)
	}
	return fs.ReadFile(fsys, name)
}

// ParseFiles checks and builds a pack from its files, given by path (as
// Pack.Files returns them). It is how a stored pack is reloaded to
// reproduce an old assessment.
func ParseFiles(files map[string][]byte) (*Pack, error) {
	for _, required := range []string{packFile, sourcesFile, jurisdictionsFile, factsFile} {
		if _, ok := files[required]; !ok {
			return nil, &LintError{Problems: []Problem{{File: required, Message: "the file is missing"}}}
		}
	}
	for name, b := range files {
		if len(b) > MaxFileSize {
			return nil, &LintError{Problems: []Problem{{File: name, Message: "the file is too large"}}}
		}
	}
	return parse(files)
}

func parse(files map[string][]byte) (*Pack, error) {
	var ps problems
	p := &Pack{files: files, Hash: hashFiles(files)}
	docs := map[string]*yaml.Node{}
	for _, name := range sortedNames(files) {
		if n := parseYAML(&ps, name, files[name]); n != nil {
			docs[name] = n
		}
	}
	if err := ps.err(); err != nil {
		return nil, err // nothing sensible can be checked past a syntax error
	}
	l := &loader{ps: &ps, p: p, docs: docs}
	l.load()
	if err := ps.err(); err != nil {
		return nil, err
	}
	return p, nil
}

func sortedNames(files map[string][]byte) []string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// hashFiles is the SHA-256 over every file's path, length and content, in
// path order.
func hashFiles(files map[string][]byte) string {
	h := sha256.New()
	for _, name := range sortedNames(files) {
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(files[name]))
		h.Write(files[name])
	}
	return hex.EncodeToString(h.Sum(nil))
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// parseYAML parses one document; its top level must be a list (or, for
// pack.yaml, a mapping).
func parseYAML(ps *problems, name string, b []byte) *yaml.Node {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		line := 0
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		ps.add(name, line, "not valid YAML: %v", err)
		return nil
	}
	if len(doc.Content) == 0 {
		if name == packFile {
			ps.add(name, 0, "the file is empty")
			return nil
		}
		return &yaml.Node{Kind: yaml.SequenceNode}
	}
	top := doc.Content[0]
	want := yaml.SequenceNode
	if name == packFile {
		want = yaml.MappingNode
	}
	if top.Kind != want {
		ps.add(name, top.Line, "the file must hold %s, found %s", map[yaml.Kind]string{yaml.SequenceNode: "a list", yaml.MappingNode: "a mapping"}[want], kindName(top))
		return nil
	}
	return top
}

// loader builds a pack from parsed documents, in dependency order.
type loader struct {
	ps   *problems
	p    *Pack
	docs map[string]*yaml.Node
}

func (l *loader) load() {
	l.loadPackFile()
	l.loadSources()
	l.loadJurisdictions()
	l.loadFacts()
	if l.p.env == nil {
		return // without a vocabulary no condition can be checked
	}
	for _, name := range l.filesIn(rulesDir) {
		l.loadRules(name)
	}
	l.checkRules()
	for _, name := range l.filesIn(testsDir) {
		l.loadTests(name)
	}
	l.checkContradictions()
}

func (l *loader) filesIn(dir string) []string {
	var out []string
	for name := range l.docs {
		if path.Dir(name) == dir {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}
