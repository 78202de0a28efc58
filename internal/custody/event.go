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

// EventHeader is the first line of every event.
const EventHeader = "sanctuary-custody-event/v1"

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
// and Parse accepts.
type Event struct {
	Type string
	// Time is when it happened, UTC, to the millisecond.
	Time time.Time
	// Case is a pseudonymous tag of the case (hex), not its reference.
	Case string
	// Object is the commitment to the document (hex); "-" for events about
	// the case as a whole (shred).
	Object string
	// Cipher is the SHA-256 of the stored ciphertext (hex), or "-".
	Cipher string
	// Actor names who did it.
	Actor string
	// Prev is the SHA-256 (hex) of the previous event for the same object,
	// or "-" for the first.
	Prev string
	// Detail is a short free text (the tool of a derive, the key
	// fingerprint of a shred); never client data.
	Detail string
}

// Limits of an event.
const (
	MaxActorLen  = 200
	MaxDetailLen = 500
	timeLayout   = "2006-01-02T15:04:05.000Z"
)

var hex64 = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Valid returns what is wrong with the event, or nil.
func (e Event) Valid() error {
	var errs []error
	if !slices.Contains(Types(), e.Type) {
		errs = append(errs, fmt.Errorf("unknown type %q", e.Type))
	}
	if e.Time.IsZero() || !e.Time.Equal(e.Time.UTC().Truncate(time.Millisecond)) || e.Time.Location() != time.UTC {
		errs = append(errs, errors.New("time must be UTC with millisecond precision"))
	}
	for name, v := range map[string]string{"case": e.Case, "object": e.Object, "cipher": e.Cipher, "prev": e.Prev} {
		if !hex64.MatchString(v) && !(v == "-" && name != "case") {
			errs = append(errs, fmt.Errorf("%s must be 64 hex digits%s", name, map[bool]string{true: "", false: " or -"}[name == "case"]))
		}
	}
	if e.Actor == "" || !oneLine(e.Actor, MaxActorLen) {
		errs = append(errs, fmt.Errorf("actor must be one printable line of at most %d bytes", MaxActorLen))
	}
	if !oneLine(e.Detail, MaxDetailLen) {
		errs = append(errs, fmt.Errorf("detail must be one printable line of at most %d bytes", MaxDetailLen))
	}
	return errors.Join(errs...)
}

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
	b.WriteString(EventHeader + "\n")
	for _, kv := range e.fields() {
		fmt.Fprintf(&b, "%s %s\n", kv[0], kv[1])
	}
	return []byte(b.String()), nil
}

func (e Event) fields() [][2]string {
	return [][2]string{{"type", e.Type}, {"time", e.Time.Format(timeLayout)}, {"case", e.Case},
		{"object", e.Object}, {"cipher", e.Cipher}, {"actor", e.Actor}, {"prev", e.Prev}, {"detail", e.Detail}}
}

// fieldNames is the order of the lines after the header.
var fieldNames = [...]string{"type", "time", "case", "object", "cipher", "actor", "prev", "detail"}

// MaxEventSize bounds an encoded event (C2SP tlog-tiles allows 64 KiB).
const MaxEventSize = 4096

// Parse decodes an event, accepting only its canonical encoding.
func Parse(b []byte) (Event, error) {
	if len(b) > MaxEventSize {
		return Event{}, errors.New("custody: event too large")
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) != len(fieldNames)+2 || lines[0] != EventHeader || lines[len(lines)-1] != "" {
		return Event{}, errors.New("custody: not a custody event")
	}
	vals := map[string]string{}
	for i, name := range fieldNames {
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
	e := Event{Type: vals["type"], Time: t.UTC(), Case: vals["case"], Object: vals["object"], Cipher: vals["cipher"],
		Actor: vals["actor"], Prev: vals["prev"], Detail: vals["detail"]}
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
