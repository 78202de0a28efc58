// Package custody is the chain of custody of evidence: an append-only
// Merkle log of events (ingest, view, download, derive, export, annotate,
// shred) in the C2SP formats — tlog-tiles on disk, signed-note checkpoints,
// tlog-proof inclusion proofs — written with Tessera's POSIX storage.
//
// An event names the object it concerns only by a salted commitment,
// SHA-256(domain tag ‖ salt ‖ SHA-256(plaintext)): someone who holds a copy
// of a document learns nothing from the log without the salt, which stays
// sealed with the case. Each event names the previous event for the same
// object, so an object's history is a chain inside the log.
//
// An exported event comes with its salt, so a court can recompute the
// commitment from the document it was given, and with a proof that the
// event is in the log under a checkpoint signed by the instance's log key.
package custody

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The first line of an event names its version. Sanctuary writes v2; v1
// events (written before descriptions were committed) are still read,
// because logs and bundles made earlier hold them.
const (
	EventHeader   = "sanctuary-custody-event/v2"
	EventHeaderV1 = "sanctuary-custody-event/v1"
)

// Event types.
const (
	Ingest   = "ingest"
	View     = "view"
	Download = "download"
	Derive   = "derive"
	Export   = "export"
	Annotate = "annotate"
	Shred    = "shred"
	// Audit anchors the audit trail: its object is the hash of the
	// trail's latest entry, and its case is AuditTag.
	Audit = "audit"
)

// AuditTag stands in the case field of an audit anchor:
// SHA-256("sanctuary/audit-trail").
var AuditTag = func() string {
	h := sha256.Sum256([]byte("sanctuary/audit-trail"))
	return hex.EncodeToString(h[:])
}()

// Types lists every event type.
func Types() []string {
	return []string{Ingest, View, Download, Derive, Export, Annotate, Shred, Audit}
}

// Event is one entry of the custody log. Its text form is line-based and
// canonical: every event has exactly one encoding, which Marshal produces
// and Parse accepts (docs/evidence.md gives it byte for byte).
type Event struct {
	// Version is 0 for the current format (v2), which every event
	// Sanctuary writes has, and 1 for an event read from an older log.
	Version int
	Type    string
	// Time is when it happened, UTC, to the millisecond.
	Time time.Time
	// Case is a pseudonymous tag of the case (hex), not its reference.
	Case string
	// Object is the commitment to the document (hex); "-" for events about
	// the case as a whole (key export, shred).
	Object string
	// Description is the salted commitment to the item's description
	// (CommitDescription), in hex: set on every v2 ingest and annotate,
	// "-" on every other event. v1 events have none.
	Description string
	// Cipher is the SHA-256 of the stored ciphertext (hex), or "-"; only
	// v1 events have it.
	Cipher string
	// Actor names who did it.
	Actor string
	// Prev is the SHA-256 (hex) of the previous event for the same object,
	// or "-" for the first.
	Prev string
	// Detail is a short free text (the tool of a derive, the key
	// fingerprint of a shred, the bundle of an export); never client data.
	Detail string
}

// Limits of an event.
const (
	MaxActorLen  = 200
	MaxDetailLen = 500
	timeLayout   = "2006-01-02T15:04:05.000Z"
)

var hex64 = regexp.MustCompile(`^[0-9a-f]{64}$`)

// describes reports whether events of the type carry a description
// commitment (in v2).
func describes(typ string) bool { return typ == Ingest || typ == Annotate }

// Valid returns what is wrong with the event, or nil.
func (e Event) Valid() error {
	var errs []error
	if e.Version != 0 && e.Version != 1 {
		errs = append(errs, fmt.Errorf("unknown version %d", e.Version))
	}
	if !slices.Contains(Types(), e.Type) {
		errs = append(errs, fmt.Errorf("unknown type %q", e.Type))
	}
	if e.Time.IsZero() || !e.Time.Equal(e.Time.UTC().Truncate(time.Millisecond)) || e.Time.Location() != time.UTC {
		errs = append(errs, errors.New("time must be UTC with millisecond precision"))
	}
	if !hex64.MatchString(e.Case) {
		errs = append(errs, errors.New("case must be 64 hex digits"))
	}
	for _, f := range [][2]string{{"object", e.Object}, {"prev", e.Prev}} {
		if !hexOrDash(f[1]) {
			errs = append(errs, fmt.Errorf("%s must be 64 hex digits or -", f[0]))
		}
	}
	errs = append(errs, e.versionFields()...)
	if e.Actor == "" || !oneLine(e.Actor, MaxActorLen) {
		errs = append(errs, fmt.Errorf("actor must be one printable line of at most %d bytes", MaxActorLen))
	}
	if !oneLine(e.Detail, MaxDetailLen) {
		errs = append(errs, fmt.Errorf("detail must be one printable line of at most %d bytes", MaxDetailLen))
	}
	return errors.Join(errs...)
}

// versionFields checks the fields that differ between versions.
func (e Event) versionFields() []error {
	if e.Version == 1 {
		if !hexOrDash(e.Cipher) || e.Description != "" {
			return []error{errors.New("a v1 event has a cipher (64 hex digits or -) and no description")}
		}
		return nil
	}
	switch {
	case e.Cipher != "":
		return []error{errors.New("a v2 event has no cipher")}
	case describes(e.Type) && !hex64.MatchString(e.Description):
		return []error{fmt.Errorf("a %s event must commit to the description (64 hex digits)", e.Type)}
	case !describes(e.Type) && e.Description != "-":
		return []error{fmt.Errorf("a %s event has no description (-)", e.Type)}
	}
	return nil
}

func hexOrDash(v string) bool { return v == "-" || hex64.MatchString(v) }

func oneLine(s string, max int) bool {
	return len(s) <= max && utf8.ValidString(s) && s == strings.TrimSpace(s) &&
		strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) < 0
}

// Marshal encodes a valid event.
func (e Event) Marshal() ([]byte, error) {
	if err := e.Valid(); err != nil {
		return nil, fmt.Errorf("custody: invalid event: %w", err)
	}
	var b strings.Builder
	header, fields := e.layout()
	b.WriteString(header + "\n")
	for _, kv := range fields {
		fmt.Fprintf(&b, "%s %s\n", kv[0], kv[1])
	}
	return []byte(b.String()), nil
}

// layout is the event's header line and its fields in order.
func (e Event) layout() (string, [][2]string) {
	t := e.Time.Format(timeLayout)
	if e.Version == 1 {
		return EventHeaderV1, [][2]string{{"type", e.Type}, {"time", t}, {"case", e.Case}, {"object", e.Object},
			{"cipher", e.Cipher}, {"actor", e.Actor}, {"prev", e.Prev}, {"detail", e.Detail}}
	}
	return EventHeader, [][2]string{{"type", e.Type}, {"time", t}, {"case", e.Case}, {"object", e.Object},
		{"description", e.Description}, {"actor", e.Actor}, {"prev", e.Prev}, {"detail", e.Detail}}
}

// fieldNames are the names of the lines after the header, per version.
var fieldNames = map[string][]string{
	EventHeaderV1: {"type", "time", "case", "object", "cipher", "actor", "prev", "detail"},
	EventHeader:   {"type", "time", "case", "object", "description", "actor", "prev", "detail"},
}

// MaxEventSize bounds an encoded event (C2SP tlog-tiles allows 64 KiB).
const MaxEventSize = 4096

// Parse decodes an event, accepting only its canonical encoding.
func Parse(b []byte) (Event, error) {
	if len(b) > MaxEventSize {
		return Event{}, errors.New("custody: event too large")
	}
	lines := strings.Split(string(b), "\n")
	names, known := fieldNames[lines[0]]
	if !known || len(lines) != len(names)+2 || lines[len(lines)-1] != "" {
		return Event{}, errors.New("custody: not a custody event")
	}
	vals := map[string]string{}
	for i, name := range names {
		v, ok := strings.CutPrefix(lines[i+1], name+" ")
		if !ok {
			return Event{}, fmt.Errorf("custody: line %d must be %q", i+2, name)
		}
		vals[name] = v
	}
	t, err := time.Parse(timeLayout, vals["time"])
	if err != nil {
		return Event{}, fmt.Errorf("custody: bad time: %w", err)
	}
	e := Event{Type: vals["type"], Time: t.UTC(), Case: vals["case"], Object: vals["object"],
		Description: vals["description"], Cipher: vals["cipher"], Actor: vals["actor"], Prev: vals["prev"], Detail: vals["detail"]}
	if lines[0] == EventHeaderV1 {
		e.Version = 1
	}
	again, err := e.Marshal()
	if err != nil {
		return Event{}, err
	}
	if string(again) != string(b) {
		return Event{}, errors.New("custody: the event is not in canonical form")
	}
	return e, nil
}

// Hash is the SHA-256 of an encoded event, which the next event for the
// same object names as its Prev.
func Hash(encoded []byte) string {
	sum := sha256.Sum256(encoded)
	return hex.EncodeToString(sum[:])
}

// commitTag separates commitments from every other use of SHA-256.
const commitTag = "sanctuary/custody/commitment/v1\x00"

// SaltSize is the size of a commitment salt.
const SaltSize = 32

// Commit returns the commitment to a document: SHA-256(tag ‖ salt ‖
// SHA-256(document)), in hex. plainSHA256 is the document's SHA-256.
func Commit(salt, plainSHA256 []byte) string {
	h := sha256.New()
	h.Write([]byte(commitTag))
	h.Write(salt)
	h.Write(plainSHA256)
	return hex.EncodeToString(h.Sum(nil))
}
