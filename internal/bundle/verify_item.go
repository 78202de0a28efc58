package bundle

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"

	"github.com/sanctuary-platform/sanctuary/internal/custody"
)

// checkItem verifies one item: its document against its commitment, its
// description against the commitment its latest ingest or annotate event
// carries, and its events against the commitment, the chain, this
// bundle's export and the log.
func (v *verifier) checkItem(n int) Verdict {
	dir := ItemDir(n)
	vd := Verdict{Dir: dir}
	fail := func(format string, args ...any) Verdict {
		vd.Reasons = append(vd.Reasons, fmt.Sprintf(format, args...))
		return vd
	}
	raw, err := v.a.read(dir+"/item.json", maxSmallFile)
	if err != nil {
		return fail("item.json: %v", err)
	}
	it, err := decodeItem(raw)
	if err != nil {
		return fail("item.json %v", err)
	}
	if it.Item != n {
		return fail("item.json says it describes item %d", it.Item)
	}
	v.show(&vd, it)
	if !v.checkDocument(dir, it, &vd) || !v.checkDescription(it, &vd) {
		return vd
	}
	v.commitments[dir] = it.Commitment
	v.checkEvents(n, it, &vd)
	vd.OK = len(vd.Reasons) == 0
	return vd
}

// show copies what item.json says into the verdict, made safe to print;
// it stands verified only if the checks that follow pass.
func (v *verifier) show(vd *Verdict, it ItemFile) {
	vd.Title, vd.Kind, vd.DocumentDate, vd.ObtainedFrom = Clean(it.Title), Clean(it.Kind), Clean(it.DocumentDate), Clean(it.ObtainedFrom)
	vd.ObtainedAt, vd.Language, vd.OriginalName = Clean(it.ObtainedAt), Clean(it.Language), Clean(it.OriginalName)
	vd.TranslationOf, vd.DerivedFrom = Clean(it.TranslationOf), Clean(it.DerivedFrom)
	vd.Size, vd.SHA256 = it.Size, Clean(it.SHA256)
}

// checkDocument compares the document with item.json and recomputes the
// commitment from the salt.
func (v *verifier) checkDocument(dir string, it ItemFile, vd *Verdict) bool {
	reason := func(s string) bool { vd.Reasons = append(vd.Reasons, s); return false }
	doc := dir + "/document"
	e, ok := v.a.files[doc]
	if !ok {
		return reason("the document is missing")
	}
	got, err := v.hash(doc)
	switch {
	case err != nil:
		return reason("the document " + err.Error())
	case got != it.SHA256:
		return reason("the document is not the one described: its SHA-256 differs from item.json")
	case e.size != it.Size:
		return reason("the document's size differs from item.json")
	}
	salt, err := hex.DecodeString(it.Salt)
	if err != nil || len(salt) != custody.SaltSize {
		return reason("the salt in item.json is not 32 bytes of hex")
	}
	sum, _ := hex.DecodeString(got)
	if custody.Commit(salt, sum) != it.Commitment {
		return reason("the commitment in item.json does not match the document and salt (wrong salt?)")
	}
	return true
}

// checkDescription recomputes the description's commitment from the
// fields and salt of item.json.
func (v *verifier) checkDescription(it ItemFile, vd *Verdict) bool {
	salt, err := hex.DecodeString(it.DescriptionSalt)
	if err != nil || len(salt) != custody.SaltSize {
		vd.Reasons = append(vd.Reasons, "the description salt in item.json is not 32 bytes of hex")
		return false
	}
	c, err := custody.CommitDescription(salt, descriptionOf(it))
	if err != nil || c != it.Description {
		vd.Reasons = append(vd.Reasons, "the description in item.json (title, kind, dates, source, language, name, links) does not match its commitment: it was changed")
		return false
	}
	return true
}

func descriptionOf(it ItemFile) custody.Description {
	return custody.Description{Title: it.Title, Kind: it.Kind, DocumentDate: it.DocumentDate, ObtainedFrom: it.ObtainedFrom,
		ObtainedAt: it.ObtainedAt, Language: it.Language, OriginalName: it.OriginalName, TranslationOf: it.TranslationOf,
		DerivedFrom: it.DerivedFrom}
}

// itemEvents returns the item's events before the export (those MANIFEST
// lists) and the one it does not list: this bundle's export event.
func (v *verifier) itemEvents(n int) (listed []int64, unlisted []int64, proofs []int64) {
	for _, name := range v.events[n] {
		switch p := v.places[name]; {
		case p.kind == kindItemEvent && v.listed[name]:
			listed = append(listed, p.index)
		case p.kind == kindItemEvent:
			unlisted = append(unlisted, p.index)
		case p.kind == kindItemProof:
			proofs = append(proofs, p.index)
		}
	}
	slices.Sort(listed)
	slices.Sort(unlisted)
	slices.Sort(proofs)
	return listed, unlisted, proofs
}

// checkEvents verifies the item's chain of events: from its ingest,
// through every event item.json lists, to this bundle's export event,
// each in the log.
func (v *verifier) checkEvents(n int, it ItemFile, vd *Verdict) {
	reason := func(format string, args ...any) { vd.Reasons = append(vd.Reasons, fmt.Sprintf(format, args...)) }
	listed, unlisted, proofs := v.itemEvents(n)
	switch {
	case !slices.Equal(listed, it.Events):
		reason("the events in MANIFEST are not the ones item.json lists")
		return
	case len(unlisted) != 1:
		reason("it must hold exactly one event outside MANIFEST, this bundle's export event; it holds %d", len(unlisted))
		return
	case len(listed) > 0 && unlisted[0] < listed[len(listed)-1]:
		reason("event %d: this bundle's export event comes before events it should follow", unlisted[0])
		return
	}
	chain := append(slices.Clone(listed), unlisted[0])
	if !slices.Equal(chain, proofs) {
		reason("every event needs its proof, and every proof its event")
		return
	}
	v.walkChain(n, it, chain, vd)
}

// walkChain checks each event's form, commitment, predecessor and proof,
// then the description and export commitments.
func (v *verifier) walkChain(n int, it ItemFile, chain []int64, vd *Verdict) {
	reason := func(format string, args ...any) { vd.Reasons = append(vd.Reasons, fmt.Sprintf(format, args...)) }
	prev, lastDescription := "-", ""
	var last custody.Event
	for i, idx := range chain {
		ev, encoded, err := v.readEvent(EventPath(n, idx))
		if err != nil {
			reason("event %d: %v", idx, err)
			return
		}
		switch {
		case i == 0 && ev.Type != custody.Ingest:
			reason("event %d: the first event is not the ingest", idx)
		case i > 0 && ev.Type == custody.Ingest:
			reason("event %d: a second ingest", idx)
		case ev.Object != it.Commitment:
			reason("event %d: it is about another document (commitment differs)", idx)
		case ev.Prev != prev:
			reason("event %d: the chain is broken (prev does not name the event before)", idx)
		case i < len(chain)-1 && ev.Type == custody.Export && ev.Version == 0 && !isBundleExport(ev):
			reason("event %d: an export of the item whose detail does not name its bundle", idx)
		}
		v.sameCase(ev, idx, reason)
		if err := v.checkProof(ProofPath(n, idx), idx, encoded); err != nil {
			reason("event %d: %v", idx, err)
		}
		if ev.Type == custody.Ingest || ev.Type == custody.Annotate {
			lastDescription = ev.Description // "" for a v1 event
		}
		prev, last = custody.Hash(encoded), ev
		v.versions[idx] = ev.Version
		vd.Events = append(vd.Events, summary(idx, ev))
	}
	if lastDescription != it.Description {
		reason("the description in item.json is not the one the item's latest ingest or annotate event commits to")
	}
	v.checkExport(last, chain, reason)
}

// checkExport checks the item's last event: this bundle's export, naming
// MANIFEST and the number of the item's events in the bundle.
func (v *verifier) checkExport(ev custody.Event, chain []int64, reason func(string, ...any)) {
	idx := chain[len(chain)-1]
	x, ok := custody.ParseExport(ev.Detail)
	switch {
	case ev.Type != custody.Export || !ok:
		reason("event %d: the last event is not this bundle's export", idx)
	case x.Manifest != v.rep.ManifestSHA256:
		reason("event %d: its export names another MANIFEST: this bundle's content is not what was exported", idx)
	case x.Events != len(chain):
		reason("event %d: the export holds %d events of the item, this bundle %d", idx, x.Events, len(chain))
	case x.CaseEvents != v.caseEventCount():
		reason("event %d: the export holds %d events of the case, this bundle %d", idx, x.CaseEvents, v.caseEventCount())
	default:
		v.exports = append(v.exports, idx)
	}
}

func isBundleExport(ev custody.Event) bool {
	_, ok := custody.ParseExport(ev.Detail)
	return ok
}

func (v *verifier) sameCase(ev custody.Event, idx int64, reason func(string, ...any)) {
	if v.caseTag == "" {
		v.caseTag = ev.Case
	}
	if ev.Case != v.caseTag {
		reason("event %d: it is about another case than the bundle's other events", idx)
	}
}

func summary(idx int64, ev custody.Event) EventSummary {
	return EventSummary{Index: idx, Type: ev.Type, Time: ev.Time, Actor: Clean(ev.Actor), Detail: Clean(ev.Detail)}
}

func (v *verifier) readEvent(name string) (custody.Event, []byte, error) {
	b, err := v.a.read(name, custody.MaxEventSize)
	if err != nil {
		return custody.Event{}, nil, err
	}
	ev, err := custody.Parse(b)
	if err != nil {
		return custody.Event{}, nil, fmt.Errorf("not a custody event: %v", err)
	}
	return ev, b, nil
}

// checkCaseEvents verifies the events about the case as a whole that the
// bundle holds: exports of the case key (and shreds), which concern every
// item. MANIFEST lists them, so none can be left out unnoticed.
func (v *verifier) checkCaseEvents() {
	var idxs, proofs []int64
	for _, p := range v.places {
		switch p.kind {
		case kindCaseEvent:
			idxs = append(idxs, p.index)
		case kindCaseProof:
			proofs = append(proofs, p.index)
		}
	}
	slices.Sort(idxs)
	slices.Sort(proofs)
	if !slices.Equal(idxs, proofs) {
		v.problem("case/events: every event needs its proof, and every proof its event")
		return
	}
	if len(idxs) == 0 && (v.a.dirs["case"] || v.a.dirs["case/events"]) {
		v.problem("case/: a case folder without case events")
	}
	for _, idx := range idxs {
		v.checkCaseEvent(idx)
	}
}

func (v *verifier) checkCaseEvent(idx int64) {
	reason := func(format string, args ...any) { v.problem("case event %d: "+format, append([]any{idx}, args...)...) }
	ev, encoded, err := v.readEvent(CaseEventPath(idx))
	if err != nil {
		reason("%v", err)
		return
	}
	switch {
	case ev.Type != custody.Export && ev.Type != custody.Shred:
		reason("it is a %s, not a key export or shred", Clean(ev.Type))
	case ev.Object != "-" || ev.Prev != "-":
		reason("it is about one document, not the case")
	}
	v.sameCase(ev, idx, reason)
	v.versions[idx] = ev.Version
	if err := v.checkProof(CaseProofPath(idx), idx, encoded); err != nil {
		reason("%v", err)
	}
	v.rep.CaseEvents = append(v.rep.CaseEvents, summary(idx, ev))
}

// caseEventCount is the number of case events the bundle holds.
func (v *verifier) caseEventCount() int {
	n := 0
	for _, p := range v.places {
		if p.kind == kindCaseEvent {
			n++
		}
	}
	return n
}

// checkOrder: every event MANIFEST lists was logged before every export
// event of the bundle (the content was sealed before the exports), no
// event of the old format was logged after one of the new, and no two
// items are the same document.
func (v *verifier) checkOrder() {
	if len(v.exports) > 0 {
		first := slices.Min(v.exports)
		for _, name := range sortedKeys(v.listed) {
			if p := v.places[name]; (p.kind == kindItemEvent || p.kind == kindCaseEvent) && p.index > first {
				v.problem("%s: logged after this bundle's export event %d, yet in MANIFEST", SafeName(name), first)
			}
		}
	}
	idxs := slices.Sorted(maps.Keys(v.versions))
	for i := 1; i < len(idxs); i++ {
		if v.versions[idxs[i]] == 1 && v.versions[idxs[i-1]] == 0 {
			v.problem("event %d: an event of the old format (v1) logged after one of the new", idxs[i])
			break
		}
	}
	seen := map[string]string{}
	for _, dir := range sortedKeys(v.commitments) {
		if other, dup := seen[v.commitments[dir]]; dup {
			v.problem("%s: the same document as %s", dir, other)
		}
		seen[v.commitments[dir]] = dir
	}
}

// nameLinks shows a translation's or working copy's original as its item
// folder when the bundle holds it.
func (v *verifier) nameLinks() {
	byCommitment := map[string]string{}
	for dir, c := range v.commitments {
		byCommitment[c] = dir
	}
	name := func(c string) string {
		if c == "" {
			return ""
		}
		if dir, ok := byCommitment[c]; ok {
			return dir
		}
		return "a document not in this bundle (commitment " + c + ")"
	}
	for i := range v.rep.Items {
		it := &v.rep.Items[i]
		it.TranslationOf, it.DerivedFrom = name(it.TranslationOf), name(it.DerivedFrom)
	}
}

// checkProof verifies an event's tlog-proof: the bundle's checkpoint, the
// right index, and the Merkle path from the event to the checkpoint's root.
func (v *verifier) checkProof(name string, idx int64, encoded []byte) error {
	if v.vkey == nil || v.cp == nil {
		return fmt.Errorf("cannot be checked without a valid log key and checkpoint")
	}
	raw, err := v.a.read(name, maxSmallFile)
	if err != nil {
		return err
	}
	p, err := parseProof(raw)
	if err != nil {
		return err
	}
	switch {
	case !bytes.Equal(p.checkpoint, v.cp):
		return fmt.Errorf("its proof refers to another checkpoint than the bundle's")
	case p.index != idx:
		return fmt.Errorf("its proof is for index %d, not %d", p.index, idx)
	}
	if !verifyInclusion(p.index, v.cpTree.size, leafHash(encoded), p.path, v.cpTree.root) {
		return fmt.Errorf("it is not in the log: its inclusion proof does not lead to the checkpoint's root")
	}
	return nil
}
