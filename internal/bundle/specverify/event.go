package specverify

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/tlog"
)

// event is a parsed custody event ("Custody events").
type event struct {
	version  int // 1 or 2
	typ      string
	time     string
	caseID   string
	object   string
	desc     string // v2: description; v1: cipher
	actor    string
	prev     string
	detail   string
	hash     string // hex SHA-256 of the bytes: what the next event names in PREV
	leaf     tlog.Hash
	index    int64
	name     string
	listed   bool          // in MANIFEST
	isExport bool          // this bundle's export event of its item
	bundle   *bundleDetail // a v2 item export's detail
}

var eventTypes = map[string]bool{
	"ingest": true, "view": true, "download": true, "derive": true,
	"export": true, "annotate": true, "shred": true, "audit": true,
}

var timeRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$`)

const timeLayout = "2006-01-02T15:04:05.000Z"

// validTime: YYYY-MM-DDTHH:MM:SS.mmmZ, and a real instant: no month 13, no
// 30 February, no 24:00, no leap second 60.
func validTime(s string) bool {
	if !timeRE.MatchString(s) {
		return false
	}
	t, err := time.Parse(timeLayout, s)
	return err == nil && t.Format(timeLayout) == s
}

// printableText: every character printable as Go's unicode.IsPrint defines
// it (letters, marks, numbers, punctuation, symbols and U+0020: no control
// character, no other space, no format character such as U+200B or U+202E,
// no unassigned code point), on valid UTF-8, without leading or trailing
// spaces.
func printableText(s string) error {
	if !utf8.ValidString(s) {
		return errors.New("is not valid UTF-8")
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return fmt.Errorf("holds the non-printable character U+%04X", r)
		}
	}
	if strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ") {
		return errors.New("has a leading or trailing space")
	}
	return nil
}

// bundleDetail is the detail of an item's export to a bundle.
type bundleDetail struct {
	m string // the bundle's hash
	n int64  // the item's events in the bundle, the export included
	k int64  // the case events in the bundle
}

// parseBundleDetail parses `bundle M events N case K`: M 64 hex, N decimal
// without leading zeros and at least 2, K decimal without leading zeros.
func parseBundleDetail(d string) (bundleDetail, bool) {
	f := strings.Split(d, " ")
	if len(f) != 6 || f[0] != "bundle" || f[2] != "events" || f[4] != "case" ||
		!isHex64(f[1]) || !isDecimal(f[3]) || !isDecimal(f[5]) {
		return bundleDetail{}, false
	}
	n, err1 := strconv.ParseInt(f[3], 10, 64)
	k, err2 := strconv.ParseInt(f[5], 10, 64)
	if err1 != nil || err2 != nil || n < 2 {
		return bundleDetail{}, false
	}
	return bundleDetail{m: f[1], n: n, k: k}, true
}

// validCaseKeyDetail: `case key FINGERPRINT`, FINGERPRINT 64 hex.
func validCaseKeyDetail(d string) bool {
	fp, ok := strings.CutPrefix(d, "case key ")
	return ok && isHex64(fp)
}

// parseEvent parses and checks one event, refusing every encoding but the
// one the specification gives.
func parseEvent(b []byte) (*event, error) {
	if len(b) > maxEventSize {
		return nil, fmt.Errorf("is %d bytes, more than %d", len(b), maxEventSize)
	}
	if !utf8.Valid(b) {
		return nil, errors.New("is not valid UTF-8")
	}
	s := string(b)
	if !strings.HasSuffix(s, "\n") {
		return nil, errors.New("does not end with LF")
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	if len(lines) != 9 {
		return nil, fmt.Errorf("has %d lines, not 9", len(lines))
	}
	e := &event{}
	switch lines[0] {
	case "sanctuary-custody-event/v2":
		e.version = 2
	case "sanctuary-custody-event/v1":
		e.version = 1
	default:
		return nil, fmt.Errorf("first line '%s' is not sanctuary-custody-event/v2 (or v1)", lines[0])
	}
	descName := "description"
	if e.version == 1 {
		descName = "cipher"
	}
	names := []string{"type", "time", "case", "object", descName, "actor", "prev", "detail"}
	fields := []*string{&e.typ, &e.time, &e.caseID, &e.object, &e.desc, &e.actor, &e.prev, &e.detail}
	for i, name := range names {
		v, ok := strings.CutPrefix(lines[i+1], name+" ")
		if !ok {
			return nil, fmt.Errorf("line %d is not '%s', SP, value", i+2, name)
		}
		*fields[i] = v
	}
	if !eventTypes[e.typ] {
		return nil, fmt.Errorf("type '%s' is not one of the types", e.typ)
	}
	if !validTime(e.time) {
		return nil, fmt.Errorf("time '%s' is not YYYY-MM-DDTHH:MM:SS.mmmZ", e.time)
	}
	if !isHex64(e.caseID) {
		return nil, fmt.Errorf("case '%s' is not 64 hex", e.caseID)
	}
	if e.object != "-" && !isHex64(e.object) {
		return nil, fmt.Errorf("object '%s' is neither 64 hex nor -", e.object)
	}
	descTyped := e.typ == "ingest" || e.typ == "annotate"
	switch {
	case e.version == 1:
		if e.desc != "-" && !isHex64(e.desc) {
			return nil, fmt.Errorf("cipher '%s' is neither 64 hex nor -", e.desc)
		}
	case descTyped:
		if !isHex64(e.desc) {
			return nil, fmt.Errorf("description '%s' of an %s is not 64 hex", e.desc, e.typ)
		}
	default:
		if e.desc != "-" {
			return nil, fmt.Errorf("description '%s' of a %s is not -", e.desc, e.typ)
		}
	}
	if len(e.actor) < 1 || len(e.actor) > maxActor {
		return nil, fmt.Errorf("actor is %d bytes, not 1-%d", len(e.actor), maxActor)
	}
	if err := printableText(e.actor); err != nil {
		return nil, fmt.Errorf("actor %s", err)
	}
	if e.prev != "-" && !isHex64(e.prev) {
		return nil, fmt.Errorf("prev '%s' is neither 64 hex nor -", e.prev)
	}
	if len(e.detail) > maxDetail {
		return nil, fmt.Errorf("detail is %d bytes, more than %d", len(e.detail), maxDetail)
	}
	if err := printableText(e.detail); err != nil {
		return nil, fmt.Errorf("detail %s", err)
	}
	// audit anchors the audit trail: it never appears in a bundle.
	if e.typ == "audit" {
		return nil, errors.New("is an audit event, which never appears in a bundle")
	}
	// OBJECT is - only for an event about the case as a whole: a key
	// export or a shred, whose PREV is - and whose detail is `case key
	// FINGERPRINT`. Reading: a shred is always about the case as a whole
	// (the table gives it only that detail). PREV is - for an ingest, the
	// hash of the event before for every other event of a document.
	caseEvent := e.typ == "shred" || e.typ == "export" && e.object == "-"
	switch {
	case e.object == "-" && !caseEvent:
		return nil, fmt.Errorf("a %s event must name a document (object is -)", e.typ)
	case e.typ == "shred" && e.object != "-":
		return nil, errors.New("a shred names a document (object is not -)")
	case caseEvent:
		if e.prev != "-" {
			return nil, errors.New("an event about the case (object -) has a prev")
		}
		if !validCaseKeyDetail(e.detail) {
			return nil, fmt.Errorf("the detail '%s' of a case event (%s) is not `case key FINGERPRINT` (64 hex)", e.detail, e.typ)
		}
	case e.typ == "ingest":
		if e.prev != "-" {
			return nil, errors.New("an ingest has a prev")
		}
	default:
		if e.prev == "-" {
			return nil, fmt.Errorf("a %s of a document has no prev", e.typ)
		}
	}
	// The export of an item to a bundle. Reading: its detail is fixed for
	// v2 events only; v1 events were written before bundles were committed.
	if e.typ == "export" && e.object != "-" && e.version == 2 {
		d, ok := parseBundleDetail(e.detail)
		if !ok {
			return nil, fmt.Errorf("the detail '%s' of an item's export is not `bundle M events N case K` (N at least 2)", e.detail)
		}
		e.bundle = &d
	}
	// The encoding is unique: rebuild it and compare (belt and braces).
	var rb strings.Builder
	rb.WriteString(lines[0] + "\n")
	for i, name := range names {
		rb.WriteString(name + " " + *fields[i] + "\n")
	}
	if rb.String() != s {
		return nil, errors.New("is not in its one encoding")
	}
	sum := sha256.Sum256(b)
	e.hash = hex.EncodeToString(sum[:])
	e.leaf = tlog.RecordHash(b)
	return e, nil
}
