// Package bundle writes and verifies evidence bundles: what a court, a
// lawyer or an authority receives to check, offline and without trusting
// the NGO's server, that each document is the one that was logged at
// intake, that what the bundle says about it is what was logged, and what
// happened to it since.
//
// A bundle is a directory or a zip file holding exactly these files
// (docs/evidence.md is the full specification):
//
//	MANIFEST                      "sha256  path" of every content file (sha256sum -c format)
//	VERIFY.txt                    how to check it by hand                         (content)
//	log.vkey                      the custody log's public key                    (content)
//	checkpoint                    the signed checkpoint all proofs refer to
//	items/0001/document           the original, byte for byte                     (content)
//	items/0001/item.json          its description, SHA-256, salts, commitments    (content)
//	items/0001/events/17.event    an event of the item before this export        (content)
//	items/0001/events/42.event    the item's export event for this bundle
//	items/0001/events/17.proof    each event's c2sp.org/tlog-proof@v1 inclusion proof
//	case/events/30.event          a key export of the case                        (content)
//	case/events/30.proof
//
// Each item's export event names the SHA-256 of MANIFEST and how many of
// the item's events the bundle holds, so nothing listed in MANIFEST can be
// changed, added or left out without the log showing it.
//
// [Verify] checks everything and gives a verdict per item. It needs no
// database and no key; cmd/sanctuary-verify is it as a small program.
package bundle

import (
	"crypto/sha256"
	"encoding/hex"
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
	ItemFormat     = "sanctuary-evidence-item/2"
	// ItemFormatV1 is the format of bundles made before descriptions and
	// bundles were committed in the log; they are refused.
	ItemFormatV1 = "sanctuary-evidence-item/1"
)

// ItemFile describes one item in item.json. Every field is always
// present, in this order (the verifier accepts only this encoding).
type ItemFile struct {
	Format        string `json:"format"`
	Item          int    `json:"item"`
	Title         string `json:"title"`
	Kind          string `json:"kind"`
	DocumentDate  string `json:"document_date"`
	ObtainedFrom  string `json:"obtained_from"`
	ObtainedAt    string `json:"obtained_at"`
	Language      string `json:"language"`
	OriginalName  string `json:"original_name"`
	TranslationOf string `json:"translation_of"`
	DerivedFrom   string `json:"derived_from"`
	// DescriptionSalt and Description open the description commitment of
	// the item's latest ingest or annotate event.
	DescriptionSalt string `json:"description_salt"`
	Description     string `json:"description"`
	Size            int64  `json:"size"`
	SHA256          string `json:"sha256"`
	Salt            string `json:"salt"`
	Commitment      string `json:"commitment"`
	// Events are the log indexes of the item's events before this
	// bundle's export event, oldest first.
	Events []int64 `json:"events"`
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

// CaseEventPath is where an event about the case as a whole goes.
func CaseEventPath(index int64) string {
	return "case/events/" + strconv.FormatInt(index, 10) + ".event"
}

// CaseProofPath is where the proof of a case event goes.
func CaseProofPath(index int64) string {
	return "case/events/" + strconv.FormatInt(index, 10) + ".proof"
}

// KeySHA256 is the fingerprint of a log key that a clerk compares with the
// one the organisation publishes: the SHA-256, in hex, of log.vkey as a
// bundle holds it — the key's line and its line break — so that
// "sha256sum log.vkey" prints it.
func KeySHA256(vkey string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(vkey) + "\n"))
	return hex.EncodeToString(sum[:])
}

// GroupHex writes a hex fingerprint in groups of four, for reading aloud.
func GroupHex(h string) string {
	var b strings.Builder
	for i := 0; i < len(h); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(h[i:min(i+4, len(h))])
	}
	return b.String()
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

// SafeName makes a file name from a bundle safe and unambiguous to print:
// anything but printable ASCII is escaped (\u043e for a Cyrillic о that
// looks like a Latin o), so a look-alike can never pass for the real name.
func SafeName(s string) string {
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	q := strconv.QuoteToASCII(s)
	return q[1 : len(q)-1]
}
