package specverify

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// verifier holds the state of one verification.
type verifier struct {
	c *checker
	b *bundle

	vkeyRead bool
	vkeyLine string // log.vkey without its LF
	keySHA   string
	key      note.Verifier
	origin   string

	cpRaw []byte // the checkpoint file, if readable
	cp    *checkpoint

	manifestOK bool
	listed     map[string]bool
	bundleHash string

	items       map[int]*itemState
	nItems      int
	case_       []*event // case events, by index (the ones that parse)
	nCaseEvents int      // case/events/I.event files

	// events by name, nil when refused
	events map[string]*event
}

type itemState struct {
	n          int
	dir        string // items/NNNN
	events     []*entry
	commitment string // item.json's, "" when item.json is refused
}

func (v *verifier) entry(name string) *entry { return v.b.entries[name] }

func (v *verifier) sortedItems() []*itemState {
	out := make([]*itemState, 0, len(v.items))
	for _, it := range v.items {
		out = append(out, it)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].n < out[j].n })
	return out
}

func (v *verifier) run() {
	v.checkStructure()
	v.readKey()
	v.readCheckpoint()
	v.readManifest()
	v.readEvents()
	for n := 1; n <= v.nItems; n++ {
		v.checkItem(v.items[n])
	}
	v.checkCase()
	v.checkGlobal()
}

// checkStructure: the required files and folders, item numbers from 1
// without a gap, every .event with its .proof and back.
func (v *verifier) checkStructure() {
	for _, name := range []string{"MANIFEST", "VERIFY.txt", "log.vkey", "checkpoint", "items"} {
		if v.entry(name) == nil {
			v.c.addf("%s is missing", name)
		}
	}
	v.items = map[int]*itemState{}
	for _, name := range v.b.sortedNames() {
		e := v.b.entries[name]
		if e.kind == kItemDir {
			v.items[e.item] = &itemState{n: e.item, dir: name}
		}
	}
	for n := 1; n <= len(v.items); n++ {
		if v.items[n] == nil {
			v.c.addf("the items are not numbered from 1 without a gap (no item %04d)", n)
		}
	}
	if len(v.items) == 0 {
		v.c.addf("the bundle holds no item (it must hold at least one)")
	}
	v.nItems = len(v.items)
	for n := 1; n <= v.nItems; n++ {
		if v.items[n] == nil {
			v.nItems = n - 1
			break
		}
	}
	for _, it := range v.sortedItems() {
		for _, f := range []string{"document", "item.json", "events"} {
			if v.entry(it.dir+"/"+f) == nil {
				v.c.addf("%s/%s is missing", it.dir, f)
			}
		}
	}
	for _, name := range v.b.sortedNames() {
		e := v.b.entries[name]
		switch e.kind {
		case kItemEvent, kCaseEvent:
			if v.entry(strings.TrimSuffix(name, ".event")+".proof") == nil {
				v.c.addf("%s has no .proof", name)
			}
			if e.kind == kItemEvent {
				if it := v.items[e.item]; it != nil {
					it.events = append(it.events, e)
				}
			} else {
				v.nCaseEvents++
			}
		case kItemProof, kCaseProof:
			if v.entry(strings.TrimSuffix(name, ".proof")+".event") == nil {
				v.c.addf("%s has no .event", name)
			}
		}
	}
	for _, it := range v.items {
		sort.Slice(it.events, func(i, j int) bool { return it.events[i].index < it.events[j].index })
	}
	// The folders case and case/events only when the bundle holds case
	// events. Reading: an empty case, or a case/events without an .event
	// (in a zip, a folder entry for either), is refused.
	if v.nCaseEvents == 0 {
		for _, name := range []string{"case", "case/events"} {
			if v.entry(name) != nil {
				v.c.addf("the folder %s is there, but the bundle holds no case events", name)
			}
		}
	}
}

func (v *verifier) readKey() {
	e := v.entry("log.vkey")
	if e == nil {
		return
	}
	data, err := v.b.read(e, maxVKey)
	if err != nil {
		v.c.addf("log.vkey: %v", err)
		return
	}
	v.vkeyRead = true
	line := strings.TrimSuffix(string(data), "\n")
	v.vkeyLine = line
	v.keySHA = sha256Hex(data) // the file: the line and its LF, as sha256sum prints it
	if !strings.HasSuffix(string(data), "\n") || strings.ContainsAny(line, "\n\r") {
		v.c.addf("log.vkey is not one line and an LF")
		return
	}
	key, name, err := parseVKey(line)
	if err != nil {
		v.c.addf("log.vkey %v", err)
		return
	}
	v.key, v.origin = key, name
}

func (v *verifier) readCheckpoint() {
	e := v.entry("checkpoint")
	if e == nil {
		return
	}
	data, err := v.b.read(e, maxCheckpoint)
	if err != nil {
		v.c.addf("checkpoint: %v", err)
		return
	}
	v.cpRaw = data
	if v.key == nil {
		v.c.addf("checkpoint: not checked, log.vkey is not a key")
		return
	}
	cp, err := parseCheckpoint(data, v.key, v.origin)
	if err != nil {
		v.c.addf("checkpoint %v", err)
		return
	}
	v.cp = cp
}

// readManifest: the grammar, order, coverage, and every listed file's hash.
func (v *verifier) readManifest() {
	v.listed = map[string]bool{}
	e := v.entry("MANIFEST")
	if e == nil {
		return
	}
	data, err := v.b.read(e, maxManifest)
	if err != nil {
		v.c.addf("MANIFEST: %v", err)
		return
	}
	v.bundleHash = sha256Hex(data)
	s := string(data)
	if !strings.HasSuffix(s, "\n") {
		v.c.addf("MANIFEST does not end with LF")
		return
	}
	// From here on MANIFEST's names are used for the per-item rules even
	// when some line is wrong (each wrong line is a problem of its own).
	v.manifestOK = true
	prev := ""
	for i, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		if len(line) < hashHexLen+3 || line[hashHexLen:hashHexLen+2] != "  " {
			v.c.addf("MANIFEST line %d is not HASH SP SP NAME", i+1)
			continue
		}
		hash, name := line[:hashHexLen], line[hashHexLen+2:]
		if !isHex64(hash) {
			v.c.addf("MANIFEST line %d: the hash is not 64 hex", i+1)
		}
		if !isPrintableASCII(name) {
			v.c.addf("MANIFEST line %d: the name %s is not printable ASCII", i+1, name)
			continue
		}
		if i > 0 && name <= prev {
			v.c.addf("MANIFEST line %d: %s is not after %s (sorted, each once)", i+1, name, prev)
		}
		prev = name
		fe := v.entry(name)
		switch {
		case fe == nil || fe.kind.isDir():
			v.c.addf("MANIFEST lists %s, which is not a file of the bundle", name)
			continue
		case !fe.kind.inManifest():
			v.c.addf("MANIFEST lists %s, which it must not list", name)
			continue
		}
		if v.listed[name] {
			continue
		}
		v.listed[name] = true
		var sum [32]byte
		switch fe.kind {
		case kDocument, kVerifyTxt:
			sum, _, err = v.b.hash(fe)
		case kItemEvent, kCaseEvent:
			var b []byte
			b, err = v.b.read(fe, maxEventSize)
			sum = sha256.Sum256(b)
		case kItemJSON:
			var b []byte
			b, err = v.b.read(fe, maxItemJSON)
			sum = sha256.Sum256(b)
		case kVKey:
			var b []byte
			b, err = v.b.read(fe, maxVKey)
			sum = sha256.Sum256(b)
		}
		if err != nil {
			v.c.addf("%s: %v", name, err)
			continue
		}
		if hex.EncodeToString(sum[:]) != hash {
			v.c.addf("%s does not have the SHA-256 MANIFEST gives", name)
		}
	}
	// Coverage: every "yes" file but item events (checked per item).
	for _, name := range v.b.sortedNames() {
		fe := v.b.entries[name]
		if fe.kind.inManifest() && fe.kind != kItemEvent && !v.listed[name] {
			v.c.addf("MANIFEST does not list %s", name)
		}
	}
}

// readEvents parses every event and checks its proof.
func (v *verifier) readEvents() {
	v.events = map[string]*event{}
	for _, name := range v.b.sortedNames() {
		e := v.b.entries[name]
		if e.kind != kItemEvent && e.kind != kCaseEvent {
			continue
		}
		data, err := v.b.read(e, maxEventSize)
		if err != nil {
			v.c.addf("%s: %v", name, err)
			v.events[name] = nil
			continue
		}
		ev, err := parseEvent(data)
		if err != nil {
			v.c.addf("%s %v", name, err)
			v.events[name] = nil
			continue
		}
		ev.index, ev.name, ev.listed = e.index, name, v.listed[name]
		v.events[name] = ev
		if e.kind == kCaseEvent {
			v.case_ = append(v.case_, ev)
		}
		pe := v.entry(strings.TrimSuffix(name, ".event") + ".proof")
		if pe == nil {
			continue // reported
		}
		pdata, err := v.b.read(pe, maxProofHeader+maxCheckpoint+2)
		if err != nil {
			v.c.addf("%s: %v", pe.name, err)
			continue
		}
		if err := checkProof(pdata, e.index, ev.leaf, v.cpRaw, v.cp); err != nil {
			v.c.addf("%s %v", pe.name, err)
		}
	}
	sort.Slice(v.case_, func(i, j int) bool { return v.case_[i].index < v.case_[j].index })
}

// checkCase: rule 7, and the case events' proofs were checked with the others.
func (v *verifier) checkCase() {
	for _, ev := range v.case_ {
		if !(ev.typ == "export" || ev.typ == "shred") {
			v.c.addf("%s is of type %s, not an export of the case key or a shred", ev.name, ev.typ)
		}
		if ev.object != "-" || ev.prev != "-" {
			v.c.addf("%s: a case event has an object or a prev", ev.name)
		}
	}
}

// checkGlobal: the rules across items and case events.
func (v *verifier) checkGlobal() {
	var all []*event
	for _, name := range v.b.sortedNames() {
		if ev := v.events[name]; ev != nil {
			all = append(all, ev)
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].index < all[j].index })
	caseID := ""
	for i, ev := range all {
		if i > 0 && ev.index == all[i-1].index {
			v.c.addf("%s and %s have the same log index", all[i-1].name, ev.name)
		}
		if caseID == "" {
			caseID = ev.caseID
		} else if ev.caseID != caseID {
			v.c.addf("%s names another case than %s", ev.name, all[0].name)
		}
	}
	// No v1 event follows a v2 one. Reading: across all the events of the
	// bundle by log index, not only within an item's chain (v1 events were
	// written before descriptions were committed, so before any v2 event).
	firstV2 := (*event)(nil)
	for _, ev := range all {
		if ev.version == 2 && firstV2 == nil {
			firstV2 = ev
		}
		if ev.version == 1 && firstV2 != nil {
			v.c.addf("%s is v1 but comes after the v2 event %s", ev.name, firstV2.name)
		}
	}
	// Every event MANIFEST lists, of any item or of the case, has a smaller
	// log index than every export event of the bundle.
	var firstExport *event
	for _, ev := range all {
		if ev.isExport && (firstExport == nil || ev.index < firstExport.index) {
			firstExport = ev
		}
	}
	if firstExport != nil {
		for _, ev := range all {
			if ev.listed && ev.index > firstExport.index {
				what := "item event"
				if v.entry(ev.name).kind == kCaseEvent {
					what = "case event"
				}
				v.c.addf("the %s %s, listed in MANIFEST, comes after the bundle's export event %s", what, ev.name, firstExport.name)
			}
		}
	}
	// No two items are the same document (the same commitment).
	seen := map[string]int{}
	for n := 1; n <= v.nItems; n++ {
		c := v.items[n].commitment
		if c == "" {
			continue
		}
		if m, ok := seen[c]; ok {
			v.c.addf("items %04d and %04d are the same document (the same commitment)", m, n)
		}
		seen[c] = n
	}
}
