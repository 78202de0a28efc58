// Package bundle writes and verifies evidence bundles: what a court, a
// lawyer or an authority receives to check, offline and without trusting
// the NGO's server, that each document is the one that was logged at
// intake and what happened to it since.
//
// A bundle is a directory or a zip file:
//
//	MANIFEST                      "sha256  path" of every other file (sha256sum -c format)
//	VERIFY.txt                    how to check it by hand
//	log.vkey                      the custody log's public key
//	checkpoint                    the log's signed checkpoint all proofs refer to
//	items/0001/document           the original, byte for byte
//	items/0001/item.json          its description, SHA-256, salt and commitment
//	items/0001/events/17.event    each custody event of the item (17 = its index in the log)
//	items/0001/events/17.proof    its c2sp.org/tlog-proof@v1 inclusion proof
//
// [Verify] checks everything and gives a verdict per item. It needs no
// database and no key; cmd/sanctuary-verify is it as a small program.
package bundle

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Names of the fixed files of a bundle.
const (
	ManifestFile   = "MANIFEST"
	VerifyFile     = "VERIFY.txt"
	VKeyFile       = "log.vkey"
	CheckpointFile = "checkpoint"
	ItemFormat     = "sanctuary-evidence-item/1"
)

// ItemFile describes one item in item.json.
type ItemFile struct {
	Format       string  `json:"format"`
	Item         int     `json:"item"`
	Title        string  `json:"title"`
	Kind         string  `json:"kind"`
	DocumentDate string  `json:"document_date,omitempty"`
	Language     string  `json:"language,omitempty"`
	OriginalName string  `json:"original_name,omitempty"`
	Size         int64   `json:"size"`
	SHA256       string  `json:"sha256"`
	Salt         string  `json:"salt"`
	Commitment   string  `json:"commitment"`
	Events       []int64 `json:"events"`
}

// ItemDir is the directory of the n-th item (1-based).
func ItemDir(n int) string { return fmt.Sprintf("items/%04d", n) }

// EventPath is where an item's event at a log index goes.
func EventPath(n int, index int64) string {
	return ItemDir(n) + "/events/" + strconv.FormatInt(index, 10) + ".event"
}

// ProofPath is where the proof of that event goes.
func ProofPath(n int, index int64) string {
	return ItemDir(n) + "/events/" + strconv.FormatInt(index, 10) + ".proof"
}

// Clean makes text from a bundle safe to print: control characters
// (terminal escape sequences among them) and other unprintable runes are
// shown escaped, and long text is cut.
func Clean(s string) string {
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) || r == unicode.ReplacementChar }) < 0 {
		return s
	}
	q := strconv.QuoteToASCII(s)
	return q[1 : len(q)-1]
}
