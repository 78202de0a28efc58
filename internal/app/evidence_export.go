package app

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"slices"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/bundle"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
	"github.com/sanctuary-platform/sanctuary/internal/ledger"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/vault"
)

// ExportEvidence writes a verifiable bundle of the case's evidence (the
// items named, or all) to w (see package bundle and docs/evidence.md).
//
// It writes the content first — each original, its description, its
// custody events so far, the case's key exports, the log's public key —
// and seals it with MANIFEST. Then each item gets an export event that
// commits to MANIFEST's hash and to how many of the item's events the
// bundle holds; those events, the inclusion proofs of every event against
// one checkpoint, and the checkpoint complete the bundle. While the
// content is sealed the items are locked, so that no event slips in
// between an item's last event in the bundle and its export.
func (a *App) ExportEvidence(ctx context.Context, ref string, ids []int64, w *bundle.Writer) error {
	who, err := actor(ctx)
	if err != nil {
		return err
	}
	ev, err := a.evidence()
	if err != nil {
		return err
	}
	x, err := a.prepareExport(ctx, ev, ref, ids, who)
	if err != nil {
		return err
	}
	for i := range x.items {
		if err := a.writeDocument(ev, x.key, i+1, x.items[i], w); err != nil {
			return err
		}
	}
	sealed, err := a.sealBundle(ctx, ev, x, who, w)
	if err != nil {
		return err
	}
	cp, err := ev.Custody.WaitCheckpoint(ctx, sealed.size())
	if err != nil {
		return err
	}
	if err := writeProofs(ctx, ev, sealed, cp, w); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return a.published(ctx, x.c, who, x.items, cp)
}

// export is what an export works on: the case, its key and record, the
// items with their secrets opened and their descriptions committed.
type export struct {
	c     casefile.Case
	rec   store.CaseKeyRecord
	key   *vault.CaseKey
	items []evidence.Item
	links map[int64]string
}

// prepareExport loads the items and opens their secrets. An item logged
// before descriptions were committed gets an annotate event that commits
// to its description first, so that what the bundle shows is in the log.
func (a *App) prepareExport(ctx context.Context, ev *Evidence, ref string, ids []int64, who string) (export, error) {
	var x export
	var err error
	if x.c, x.rec, x.items, x.links, err = a.exportItems(ctx, ref, ids); err != nil {
		return x, err
	}
	if x.key, err = unwrap(ev, x.rec); err != nil {
		return x, err
	}
	for i := range x.items {
		it := &x.items[i]
		if err := openSecret(x.key, it); err != nil {
			return x, err
		}
		committed, err := recomputeDescription(it, x.links)
		if err != nil {
			return x, err
		}
		if !committed {
			if err := a.commitOldDescription(ctx, ev, x, it, who); err != nil {
				return x, err
			}
		}
	}
	return x, nil
}

// commitOldDescription logs the description of an item ingested before
// descriptions were committed, as an annotate event.
func (a *App) commitOldDescription(ctx context.Context, ev *Evidence, x export, it *evidence.Item, who string) error {
	if err := commitDescription(it, x.links); err != nil {
		return err
	}
	var err error
	if it.Sealed, err = sealSecret(x.rec.Recipient, it.Secret); err != nil {
		return err
	}
	return a.logItemEvent(ctx, ev, x.c, x.rec.Tag, it, custody.Annotate, who, "description committed",
		func(tx *store.Tx) error { return tx.UpdateEvidence(ctx, x.c.ID, it) })
}

// exportItems loads the case, its key and the items to export.
func (a *App) exportItems(ctx context.Context, ref string, ids []int64) (c casefile.Case, key store.CaseKeyRecord,
	items []evidence.Item, links map[int64]string, err error) {
	err = a.db.View(ctx, func(tx *store.Tx) error {
		if c, err = a.openCase(ctx, tx, ref, ActEvidenceExport, "evidence bundle"); err != nil {
			return err
		}
		all, err := tx.EvidenceList(ctx, c.ID)
		if err != nil {
			return err
		}
		for _, it := range all {
			if len(ids) == 0 || slices.Contains(ids, it.ID) {
				items = append(items, it)
			}
		}
		for _, id := range ids {
			if !slices.ContainsFunc(all, func(it evidence.Item) bool { return it.ID == id }) {
				return sanctuary.Errorf(sanctuary.ENOTFOUND, "no evidence item %d on case %s", id, c.Reference)
			}
		}
		if len(items) == 0 {
			return sanctuary.Errorf(sanctuary.ENOTFOUND, "case %s has no evidence to export", c.Reference)
		}
		if links, err = tx.EvidenceCommitments(ctx, c.ID); err != nil {
			return err
		}
		key, err = tx.CaseKey(ctx, c.ID)
		return err
	})
	return c, key, items, links, err
}

// writeDocument writes the n-th item's original, checking on the way that
// the vault gave back the document that was logged.
func (a *App) writeDocument(ev *Evidence, k *vault.CaseKey, n int, it evidence.Item, w *bundle.Writer) error {
	obj, err := ev.Store.Open(it.ObjectID, k)
	if err != nil {
		return err
	}
	sum, err := w.Add(bundle.ItemDir(n)+"/document", io.NewSectionReader(obj, 0, obj.Size))
	obj.Close()
	if err != nil {
		return err
	}
	if sum != it.Secret.PlainSHA256 {
		return sanctuary.Errorf(sanctuary.EINTERNAL, "evidence %d does not decrypt to the document that was logged: run sanctuary fsck --deep", it.ID)
	}
	return nil
}

// sealedBundle is what remains to be written once the content is sealed:
// each item's export event, and every event whose proof the bundle needs.
type sealedBundle struct {
	exports []sealedEvent
	proofs  []sealedEvent // the events in MANIFEST
}

type sealedEvent struct {
	index         int64
	encoded       []byte
	event, proofs string // where the event and its proof go
}

// size is the size of the log that holds every export event.
func (s sealedBundle) size() uint64 {
	var n uint64
	for _, e := range s.exports {
		n = max(n, uint64(e.index)+1)
	}
	return n
}

// sealBundle, with the items locked, writes their events so far, their
// descriptions, the case's key exports and the log key, seals the content
// with MANIFEST, and logs each item's export event naming it.
func (a *App) sealBundle(ctx context.Context, ev *Evidence, x export, who string, w *bundle.Writer) (sealedBundle, error) {
	var s sealedBundle
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		s = sealedBundle{}
		held, err := a.holdItems(ctx, tx, x)
		if err != nil {
			return err
		}
		// Read only now: every event recorded so far is in the log (an
		// event is appended before it is recorded), and with the items
		// held none of theirs can be added.
		size, err := ev.Custody.Size(ctx)
		if err != nil {
			return err
		}
		var exports []pendingExport
		for i := range x.items {
			e, err := a.sealItem(ctx, ev, x, i+1, held[i], size, who, w, &s)
			if err != nil {
				return err
			}
			exports = append(exports, e)
		}
		caseEvents, err := sealCaseEvents(ctx, ev, held[len(x.items)].recs, size, w, &s)
		if err != nil {
			return err
		}
		if err := w.AddBytes(bundle.VKeyFile, []byte(ev.Custody.Key().VKey+"\n")); err != nil {
			return err
		}
		manifest, err := w.Seal()
		if err != nil {
			return err
		}
		return a.logExports(ctx, tx, ev, x, exports, custody.BundleExport{Manifest: manifest, CaseEvents: caseEvents}, &s)
	})
	return s, err
}

// heldItem is an item locked for the export, with its latest event and
// its custody records.
type heldItem struct {
	last string
	recs []store.CustodyEventRecord
}

// holdItems locks every item to export and reads its custody records, and
// then the case's own (returned last, with no latest event).
func (a *App) holdItems(ctx context.Context, tx *store.Tx, x export) ([]heldItem, error) {
	held := make([]heldItem, 0, len(x.items)+1)
	for _, it := range x.items {
		last, _, err := tx.LockEvidence(ctx, x.c.ID, it.ID)
		if err != nil {
			return nil, err
		}
		recs, err := tx.CustodyEvents(ctx, x.c.ID, it.ID)
		if err != nil {
			return nil, err
		}
		held = append(held, heldItem{last: last, recs: recs})
	}
	recs, err := tx.CustodyEvents(ctx, x.c.ID, 0)
	if err != nil {
		return nil, err
	}
	return append(held, heldItem{recs: recs}), nil
}

// sealItem writes the n-th item's events so far and its item.json, and
// returns its export event, to be completed with MANIFEST.
func (a *App) sealItem(ctx context.Context, ev *Evidence, x export, n int, h heldItem, size uint64, who string,
	w *bundle.Writer, s *sealedBundle) (pendingExport, error) {
	var none pendingExport
	it, last, recs := x.items[n-1], h.last, h.recs
	var idxs []int64
	for _, r := range recs {
		path := bundle.EventPath(n, r.LogIndex)
		if err := sealEvent(ctx, ev, r, size, path, bundle.ProofPath(n, r.LogIndex), w, s); err != nil {
			return none, err
		}
		idxs = append(idxs, r.LogIndex)
	}
	if len(recs) == 0 || recs[len(recs)-1].Hash != last {
		return none, sanctuary.Errorf(sanctuary.EINTERNAL, "the custody records of evidence %d do not end with its latest event: run sanctuary fsck", it.ID)
	}
	desc, err := bundle.EncodeItem(itemFile(n, it, x.links, idxs))
	if err != nil {
		return none, err
	}
	if err := w.AddBytes(bundle.ItemDir(n)+"/item.json", desc); err != nil {
		return none, err
	}
	// The detail, naming MANIFEST, is set once MANIFEST is written.
	e := custody.Event{Type: custody.Export, Time: a.eventTime(), Case: x.rec.Tag, Object: it.Commitment, Description: "-",
		Actor: who, Prev: last}
	return pendingExport{event: e, events: len(recs) + 1}, nil
}

// pendingExport is an item's export event before MANIFEST is written, and
// the number of the item's events in the bundle, the export included.
type pendingExport struct {
	event  custody.Event
	events int
}

// sealEvent writes a logged event into the bundle's content, checking it
// is the one recorded, and remembers it for its proof.
func sealEvent(ctx context.Context, ev *Evidence, r store.CustodyEventRecord, size uint64, path, proof string,
	w *bundle.Writer, s *sealedBundle) error {
	entry, err := ev.Custody.Entry(ctx, uint64(r.LogIndex), size)
	if err != nil {
		return err
	}
	if custody.Hash(entry) != r.Hash {
		return sanctuary.Errorf(sanctuary.EINTERNAL, "custody log entry %d is not the event recorded for it: run sanctuary fsck", r.LogIndex)
	}
	if err := w.AddBytes(path, entry); err != nil {
		return err
	}
	s.proofs = append(s.proofs, sealedEvent{index: r.LogIndex, encoded: entry, proofs: proof})
	return nil
}

// sealCaseEvents writes the events about the case as a whole: exports of
// its key, which open every item's document.
func sealCaseEvents(ctx context.Context, ev *Evidence, recs []store.CustodyEventRecord, size uint64, w *bundle.Writer,
	s *sealedBundle) (int, error) {
	for _, r := range recs {
		if err := sealEvent(ctx, ev, r, size, bundle.CaseEventPath(r.LogIndex), bundle.CaseProofPath(r.LogIndex), w, s); err != nil {
			return 0, err
		}
	}
	return len(recs), nil
}

// itemFile is the n-th item's item.json: its description as committed,
// the openings of its commitments, and its events before the export.
func itemFile(n int, it evidence.Item, links map[int64]string, events []int64) bundle.ItemFile {
	d := describe(it, links)
	f := bundle.ItemFile{Format: bundle.ItemFormat, Item: n, Title: d.Title, Kind: d.Kind, DocumentDate: d.DocumentDate,
		ObtainedFrom: d.ObtainedFrom, ObtainedAt: d.ObtainedAt, Language: d.Language, OriginalName: d.OriginalName,
		TranslationOf: d.TranslationOf, DerivedFrom: d.DerivedFrom, DescriptionSalt: hex.EncodeToString(it.Secret.DescriptionSalt), Description: it.DescriptionCommitment,
		Size: it.Size, SHA256: it.Secret.PlainSHA256, Salt: hex.EncodeToString(it.Secret.Salt), Commitment: it.Commitment, Events: events}
	return f
}

// logExports logs each item's export event, naming MANIFEST, the number
// of the item's events in the bundle and that of the case's, in one batch.
func (a *App) logExports(ctx context.Context, tx *store.Tx, ev *Evidence, x export, pending []pendingExport,
	bx custody.BundleExport, s *sealedBundle) error {
	events := make([]custody.Event, len(pending))
	for i, p := range pending {
		events[i], bx.Events = p.event, p.events
		events[i].Detail = bx.Detail()
	}
	idxs, encoded, err := ev.Custody.AppendAll(ctx, events)
	if err != nil {
		return fmt.Errorf("app: log the export: %w", err)
	}
	for i, it := range x.items {
		idx, hash := int64(idxs[i]), custody.Hash(encoded[i])
		rec := store.CustodyEventRecord{Origin: ev.origin(), LogIndex: idx, CaseID: x.c.ID, EvidenceID: it.ID, Type: custody.Export, Hash: hash, At: events[i].Time}
		if err := tx.InsertCustodyEvent(ctx, rec); err != nil {
			return err
		}
		if err := tx.SetLastEvent(ctx, it.ID, hash); err != nil {
			return err
		}
		s.exports = append(s.exports, sealedEvent{index: idx, encoded: encoded[i], event: bundle.EventPath(i+1, idx),
			proofs: bundle.ProofPath(i+1, idx)})
	}
	return nil
}

// writeProofs completes the bundle: the export events, the inclusion
// proof of every event against the checkpoint, and the checkpoint.
func writeProofs(ctx context.Context, ev *Evidence, s sealedBundle, cp ledger.Checkpoint, w *bundle.Writer) error {
	for _, e := range s.exports {
		if err := w.AddSealed(e.event, e.encoded); err != nil {
			return err
		}
	}
	for _, e := range append(slices.Clone(s.proofs), s.exports...) {
		proof, err := ev.Custody.Proof(ctx, uint64(e.index), cp)
		if err != nil {
			return err
		}
		if err := w.AddSealed(e.proofs, proof); err != nil {
			return err
		}
	}
	return w.AddSealed(bundle.CheckpointFile, cp.Signed)
}

// published records the checkpoint handed out in the bundle (the log may
// never go back behind it) and the export on the timeline.
func (a *App) published(ctx context.Context, c casefile.Case, who string, items []evidence.Item, cp ledger.Checkpoint) error {
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	return a.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SaveCustodyState(ctx, custodyState(cp)); err != nil {
			return fmt.Errorf("app: record the published checkpoint: %w", err)
		}
		return record(ctx, tx, c, who, casefile.EventEvidenceExported, casefile.EventDetail{EvidenceIDs: ids})
	})
}
