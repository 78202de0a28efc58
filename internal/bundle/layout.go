package bundle

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// This file is the bundle's file set: the names the format defines. The
// verifier refuses every other name, and any two names that differ only in
// case (a court's computer may not tell them apart).

// fileKind is what a name of the bundle is.
type fileKind int

const (
	kindUnknown fileKind = iota
	kindManifest
	kindVerifyText
	kindVKey
	kindCheckpoint
	kindDocument
	kindItemJSON
	kindItemEvent
	kindItemProof
	kindCaseEvent
	kindCaseProof
)

// place is a classified name: its kind, its item (1-based, 0 for none) and
// its log index (events and proofs).
type place struct {
	kind  fileKind
	item  int
	index int64
}

var (
	itemPath  = regexp.MustCompile(`^items/([0-9]{4,6})/(document|item\.json|events/([0-9]{1,19})\.(event|proof))$`)
	casePath  = regexp.MustCompile(`^case/events/([0-9]{1,19})\.(event|proof)$`)
	itemDir   = regexp.MustCompile(`^items/([0-9]{4,6})(/events)?$`)
	fixedFile = map[string]fileKind{ManifestFile: kindManifest, VerifyFile: kindVerifyText, VKeyFile: kindVKey, CheckpointFile: kindCheckpoint}
)

// classify returns where a file name belongs in the format, or an error
// saying why it does not.
func classify(name string) (place, error) {
	if k, ok := fixedFile[name]; ok {
		return place{kind: k}, nil
	}
	if m := itemPath.FindStringSubmatch(name); m != nil {
		n, ok := itemNumber(m[1])
		if !ok {
			return place{}, fmt.Errorf("is not an item folder's name (items/0001, items/0002, ...)")
		}
		switch {
		case m[2] == "document":
			return place{kind: kindDocument, item: n}, nil
		case m[2] == "item.json":
			return place{kind: kindItemJSON, item: n}, nil
		}
		idx, ok := logIndex(m[3])
		if !ok {
			return place{}, fmt.Errorf("is not named by a log index")
		}
		return place{kind: map[string]fileKind{"event": kindItemEvent, "proof": kindItemProof}[m[4]], item: n, index: idx}, nil
	}
	if m := casePath.FindStringSubmatch(name); m != nil {
		idx, ok := logIndex(m[1])
		if !ok {
			return place{}, fmt.Errorf("is not named by a log index")
		}
		return place{kind: map[string]fileKind{"event": kindCaseEvent, "proof": kindCaseProof}[m[2]], index: idx}, nil
	}
	return place{}, unknownName(name)
}

// classifyDir accepts the folders the format defines.
func classifyDir(name string) error {
	switch name {
	case "items", "case", "case/events":
		return nil
	}
	if m := itemDir.FindStringSubmatch(name); m != nil {
		if _, ok := itemNumber(m[1]); ok {
			return nil
		}
	}
	return unknownName(name)
}

func unknownName(name string) error {
	for _, r := range name {
		if r > 0x7e || r < 0x20 {
			return fmt.Errorf("is not a name this bundle format defines: it has characters outside printable ASCII (look-alike letters?)")
		}
	}
	return fmt.Errorf("is not a name this bundle format defines")
}

// itemNumber reads an item folder's number, which must be written as
// ItemDir writes it: at least four digits, no other leading zeros, from 1.
func itemNumber(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 1 && ItemDir(n) == "items/"+s
}

// logIndex reads a log index written in decimal without leading zeros.
func logIndex(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n >= 0 && strconv.FormatInt(n, 10) == s
}

// inManifest reports whether a kind of file is content that MANIFEST lists
// (item events are, except each item's export event for this bundle).
func (k fileKind) inManifest() bool {
	switch k {
	case kindVerifyText, kindVKey, kindDocument, kindItemJSON, kindItemEvent, kindCaseEvent:
		return true
	}
	return false
}

// caseFold finds names that differ only in case.
func caseFold(names []string) []string {
	var out []string
	seen := map[string]string{}
	for _, n := range names {
		k := strings.ToLower(n)
		if other, dup := seen[k]; dup {
			out = append(out, fmt.Sprintf("%s: differs only in case from %s", SafeName(n), SafeName(other)))
			continue
		}
		seen[k] = n
	}
	return out
}
