package custody

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DescriptionHeader is the first line of an encoded description.
const DescriptionHeader = "sanctuary-evidence-description/v1"

// Description is what is said about an item — the fields a verifier shows
// beside the document — as its ingest and annotate events commit to it.
// Dates are YYYY-MM-DD; the links are the commitments (Object) of the
// items this one translates or was derived from. An absent value is "".
type Description struct {
	Title         string
	Kind          string
	DocumentDate  string
	ObtainedFrom  string
	ObtainedAt    string
	Language      string
	OriginalName  string
	TranslationOf string
	DerivedFrom   string
}

// fields are the description's lines after the header, in order.
func (d Description) fields() [][2]string {
	return [][2]string{{"title", d.Title}, {"kind", d.Kind}, {"document_date", d.DocumentDate},
		{"obtained_from", d.ObtainedFrom}, {"obtained_at", d.ObtainedAt}, {"language", d.Language},
		{"original_name", d.OriginalName}, {"translation_of", d.TranslationOf}, {"derived_from", d.DerivedFrom}}
}

var (
	dateForm = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	kindForm = regexp.MustCompile(`^[a-z_]{1,40}$`)
	langForm = regexp.MustCompile(`^[a-z]{2}$`)
)

// Valid returns what is wrong with the description, or nil: every text is
// valid UTF-8 without a line break, the title and kind are present, and
// the dates, language and links have their forms.
func (d Description) Valid() error {
	var errs []error
	for _, f := range d.fields() {
		if !utf8.ValidString(f[1]) || strings.IndexFunc(f[1], unicode.IsControl) >= 0 || len(f[1]) > 1000 {
			errs = append(errs, fmt.Errorf("%s must be one line of valid UTF-8 text without control characters", f[0]))
		}
	}
	if d.Title == "" {
		errs = append(errs, errors.New("title is required"))
	}
	if !kindForm.MatchString(d.Kind) {
		errs = append(errs, errors.New("kind must be lower-case letters and _"))
	}
	for _, f := range [][2]string{{"document_date", d.DocumentDate}, {"obtained_at", d.ObtainedAt}} {
		if f[1] != "" && !dateForm.MatchString(f[1]) {
			errs = append(errs, fmt.Errorf("%s must be YYYY-MM-DD or empty", f[0]))
		}
	}
	if d.Language != "" && !langForm.MatchString(d.Language) {
		errs = append(errs, errors.New("language must be two lower-case letters or empty"))
	}
	for _, f := range [][2]string{{"translation_of", d.TranslationOf}, {"derived_from", d.DerivedFrom}} {
		if f[1] != "" && !hex64.MatchString(f[1]) {
			errs = append(errs, fmt.Errorf("%s must be 64 hex digits or empty", f[0]))
		}
	}
	return errors.Join(errs...)
}

// Encode returns the description's one encoding: the header line, then
// one line per field, "name value\n" (a space after the name even when the
// value is empty), in the order of docs/evidence.md.
func (d Description) Encode() ([]byte, error) {
	if err := d.Valid(); err != nil {
		return nil, fmt.Errorf("custody: invalid description: %w", err)
	}
	var b strings.Builder
	b.WriteString(DescriptionHeader + "\n")
	for _, f := range d.fields() {
		b.WriteString(f[0] + " " + f[1] + "\n")
	}
	return []byte(b.String()), nil
}

// descriptionTag separates description commitments from every other use
// of SHA-256.
const descriptionTag = "sanctuary/custody/description/v1\x00"

// CommitDescription returns the commitment to a description:
// SHA-256(tag ‖ salt ‖ encoding), in hex. Each version of a description
// gets a fresh 32-byte salt, so that the log reveals nothing of it, and a
// bundle that shows the latest version reveals nothing of earlier ones.
func CommitDescription(salt []byte, d Description) (string, error) {
	if len(salt) != SaltSize {
		return "", fmt.Errorf("custody: a description salt is %d bytes", SaltSize)
	}
	enc, err := d.Encode()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	h.Write([]byte(descriptionTag))
	h.Write(salt)
	h.Write(enc)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// BundleExport is what an item's export event for a bundle commits to, in its
// detail: the SHA-256 of the bundle's MANIFEST, how many of the item's
// events the bundle holds (this export included), and how many events
// about the case as a whole (key exports) it holds.
type BundleExport struct {
	Manifest   string
	Events     int
	CaseEvents int
}

// Detail is the export event's detail: "bundle M events N case K".
func (x BundleExport) Detail() string {
	return "bundle " + x.Manifest + " events " + strconv.Itoa(x.Events) + " case " + strconv.Itoa(x.CaseEvents)
}

var exportDetailForm = regexp.MustCompile(`^bundle ([0-9a-f]{64}) events ([1-9][0-9]{0,8}) case (0|[1-9][0-9]{0,8})$`)

// ParseExport reads an export event's detail written by BundleExport.Detail; ok
// is false for any other detail (a key export's, or an export event
// written before bundles were committed).
func ParseExport(detail string) (x BundleExport, ok bool) {
	m := exportDetailForm.FindStringSubmatch(detail)
	if m == nil {
		return x, false
	}
	x.Manifest = m[1]
	x.Events, _ = strconv.Atoi(m[2])
	x.CaseEvents, _ = strconv.Atoi(m[3])
	return x, true
}
