package specverify

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
)

var (
	kinds = map[string]bool{
		"summons": true, "court_document": true, "article": true, "screenshot": true,
		"video": true, "web_capture": true, "identity_document": true, "other": true,
	}
	dateRE     = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	languageRE = regexp.MustCompile(`^[a-z]{2}$`)
)

// validDate: "" or YYYY-MM-DD and a real calendar day.
func validDate(s string) bool {
	if s == "" {
		return true
	}
	if !dateRE.MatchString(s) {
		return false
	}
	t, err := time.Parse("2006-01-02", s)
	return err == nil && t.Format("2006-01-02") == s
}

// descriptionFields are the lines of the description encoding.
var descriptionFields = []string{
	"title", "kind", "document_date", "obtained_from", "obtained_at",
	"language", "original_name", "translation_of", "derived_from",
}

func commit(tag string, salt, payload []byte) string {
	h := sha256.New()
	h.Write([]byte(tag))
	h.Write([]byte{0})
	h.Write(salt)
	h.Write(payload)
	return hex.EncodeToString(h.Sum(nil))
}

// hasControl reports whether s holds a character of Unicode category Cc.
func hasControl(s string) (rune, bool) {
	for _, r := range s {
		if unicode.Is(unicode.Cc, r) {
			return r, true
		}
	}
	return 0, false
}

// checkItem: rules 3 to 6 for one item.
func (v *verifier) checkItem(st *itemState) {
	dir := st.dir
	var it *item
	if je := v.entry(dir + "/item.json"); je != nil {
		data, err := v.b.read(je, maxItemJSON)
		if err != nil {
			v.c.addf("%s/item.json: %v", dir, err)
		} else {
			var probs []string
			it, probs = parseItemJSON(data)
			for _, p := range probs {
				v.c.addf("%s/item.json %s", dir, p)
			}
			if it == nil && strings.Contains(string(data), `"sanctuary-evidence-item/1"`) {
				v.c.addf("%s/item.json is of format sanctuary-evidence-item/1, which is refused: ask for a new export", dir)
			}
		}
	}
	if it != nil {
		st.commitment = v.checkItemJSON(st, it)
	}

	// The events, by index: the listed ones, then the export event.
	var chain []*event
	complete := true
	for _, e := range st.events {
		ev := v.events[e.name]
		if ev == nil {
			complete = false
			continue
		}
		chain = append(chain, ev)
	}
	if len(st.events) == 0 {
		v.c.addf("%s has no events", dir)
		return
	}
	var unlisted []int64
	for _, e := range st.events {
		if !v.listed[e.name] {
			unlisted = append(unlisted, e.index)
		}
	}
	last := st.events[len(st.events)-1]
	if v.manifestOK {
		switch {
		case len(unlisted) != 1:
			v.c.addf("%s: %d of its events are not in MANIFEST, not exactly one (its export event)", dir, len(unlisted))
		case unlisted[0] != last.index:
			v.c.addf("%s: the event MANIFEST leaves out (%d) is not its last event (%d)", dir, unlisted[0], last.index)
		}
	}
	if it != nil {
		var want []int64
		for _, e := range st.events {
			if v.listed[e.name] {
				want = append(want, e.index)
			}
		}
		if fmt.Sprint(want) != fmt.Sprint(it.events) {
			v.c.addf("%s/item.json: events %v are not the item's events in MANIFEST %v", dir, it.events, want)
		}
	}
	if !complete || len(chain) == 0 {
		return
	}
	if ev := v.events[last.name]; ev != nil && !v.listed[last.name] {
		ev.isExport = true
	}

	for i, ev := range chain {
		if i == 0 {
			if ev.typ != "ingest" {
				v.c.addf("%s: its first event %s is of type %s, not an ingest", dir, ev.name, ev.typ)
			}
		} else {
			if ev.typ == "ingest" {
				v.c.addf("%s: %s is a second ingest", dir, ev.name)
			}
			if ev.prev != chain[i-1].hash {
				v.c.addf("%s: the prev of %s is not the hash of %s", dir, ev.name, chain[i-1].name)
			}
		}
		if st.commitment != "" && ev.object != st.commitment {
			v.c.addf("%s: the object of %s is not the item's commitment", dir, ev.name)
		}
		if ev.object == "-" {
			v.c.addf("%s: %s is not about the document (object -)", dir, ev.name)
		}
		// An earlier export of the item to another bundle is an ordinary
		// event of its chain; it names another MANIFEST. Reading: its
		// detail has the form of rule 6 (parseEvent), but its N and K are
		// the other bundle's and are not checked here.
		if ev.bundle != nil && i < len(chain)-1 && ev.bundle.m == v.bundleHash {
			v.c.addf("%s: the earlier export %s names this bundle, not another MANIFEST", dir, ev.name)
		}
	}
	// Rule 5: the last ingest or annotate is v2 and names description.
	var lastDesc *event
	for _, ev := range chain {
		if ev.typ == "ingest" || ev.typ == "annotate" {
			lastDesc = ev
		}
	}
	switch {
	case lastDesc == nil:
	case lastDesc.version != 2:
		v.c.addf("%s: its last ingest or annotate %s is v1 and commits to no description", dir, lastDesc.name)
	case it != nil && lastDesc.desc != it.s("description"):
		v.c.addf("%s: the description of %s is not item.json's description", dir, lastDesc.name)
	}
	// Rule 6: the export event, `bundle M events N case K`.
	exp := chain[len(chain)-1]
	if exp.typ != "export" {
		v.c.addf("%s: its last event %s is of type %s, not an export", dir, exp.name, exp.typ)
		return
	}
	if exp.version != 2 {
		v.c.addf("%s: its export event %s is v1", dir, exp.name)
		return
	}
	d := exp.bundle
	if d == nil {
		return // reported by parseEvent
	}
	if d.m != v.bundleHash {
		v.c.addf("%s: its export event %s names bundle %s, not this bundle's hash %s", dir, exp.name, d.m, v.bundleHash)
	}
	if d.n != int64(len(st.events)) {
		v.c.addf("%s: its export event %s says events %d, but the bundle holds %d", dir, exp.name, d.n, len(st.events))
	}
	if d.k != int64(v.nCaseEvents) {
		v.c.addf("%s: its export event %s says case %d, but the bundle holds %d case events", dir, exp.name, d.k, v.nCaseEvents)
	}
}

// checkItemJSON checks the values of item.json against the folder, the
// document and the commitments; it returns the commitment ("" if invalid).
func (v *verifier) checkItemJSON(st *itemState, it *item) string {
	dir := st.dir
	bad := func(format string, args ...any) {
		v.c.addf(dir+"/item.json: "+format, args...)
	}
	switch f := it.s("format"); f {
	case "sanctuary-evidence-item/2":
	case "sanctuary-evidence-item/1":
		bad("format sanctuary-evidence-item/1 is refused: ask for a new export")
		return ""
	default:
		bad("format '%s' is not sanctuary-evidence-item/2", f)
		return ""
	}
	if it.nums["item"] != int64(st.n) {
		bad("item %d is not its folder's number %d", it.nums["item"], st.n)
	}
	if it.s("title") == "" {
		bad("the title is empty")
	}
	if !kinds[it.s("kind")] {
		bad("kind '%s' is not one of the kinds", it.s("kind"))
	}
	for _, k := range []string{"document_date", "obtained_at"} {
		if !validDate(it.s(k)) {
			bad("%s '%s' is not a date YYYY-MM-DD, a real calendar day", k, it.s(k))
		}
	}
	if l := it.s("language"); l != "" && !languageRE.MatchString(l) {
		bad("language '%s' is not an ISO 639-1 code (two lower-case letters)", l)
	}
	for _, k := range []string{"translation_of", "derived_from"} {
		if s := it.s(k); s != "" && !isHex64(s) {
			bad("%s '%s' is neither empty nor 64 hex", k, s)
		}
	}
	hexOK := true
	for _, k := range []string{"description_salt", "description", "sha256", "salt", "commitment"} {
		if !isHex64(it.s(k)) {
			bad("%s is not 64 hex", k)
			hexOK = false
		}
	}
	// The document: sha256 and size, streamed.
	if de := v.entry(dir + "/document"); de != nil {
		sum, size, err := v.b.hash(de)
		switch {
		case err != nil:
			v.c.addf("%s/document: %v", dir, err)
		default:
			if hex.EncodeToString(sum[:]) != it.s("sha256") {
				bad("the document's SHA-256 is not sha256")
			}
			if size != it.nums["size"] {
				bad("the document's size %d is not size %d", size, it.nums["size"])
			}
		}
	}
	// The description encoding; no value may hold a control character.
	var enc strings.Builder
	enc.WriteString("sanctuary-evidence-description/v1\n")
	descOK := true
	for _, k := range descriptionFields {
		val := it.s(k)
		if r, ok := hasControl(val); ok {
			bad("%s holds a control character (U+%04X)", k, r)
			descOK = false
		}
		enc.WriteString(k + " " + val + "\n")
	}
	if !hexOK {
		return ""
	}
	salt, _ := hex.DecodeString(it.s("salt"))
	docHash, _ := hex.DecodeString(it.s("sha256"))
	if commit("sanctuary/custody/commitment/v1", salt, docHash) != it.s("commitment") {
		bad("the commitment from salt and sha256 is not commitment")
	}
	dsalt, _ := hex.DecodeString(it.s("description_salt"))
	if descOK && commit("sanctuary/custody/description/v1", dsalt, []byte(enc.String())) != it.s("description") {
		bad("the description's commitment from description_salt is not description")
	}
	return it.s("commitment")
}
