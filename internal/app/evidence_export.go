package app

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
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
// items named, or all) to w: each original, its custody events with their
// inclusion proofs against one checkpoint, the checkpoint and the log's
// public key (see package bundle). Each export is first logged as an
// export event of each item, so the bundle shows its own export.
func (a *App) ExportEvidence(ctx context.Context, ref string, ids []int64, w *bundle.Writer) error {
	who, err := actor(ctx)
	if err != nil {
		return err
	}
	ev, err := a.evidence()
	if err != nil {
		return err
	}
	c, key, items, err := a.exportItems(ctx, ref, ids)
	if err != nil {
		return err
	}
	k, err := unwrap(ev, key)
	if err != nil {
		return err
	}
	for i := range items {
		if err := openSecret(k, &items[i]); err != nil {
			return err
		}
	}
	for i := range items {
		if err := a.logItemEvent(ctx, ev, c, key.Tag, &items[i], custody.Export, who, "evidence bundle", nil); err != nil {
			return err
		}
	}
	size, err := ev.Custody.Size(ctx)
	if err != nil {
		return err
	}
	cp, err := ev.Custody.WaitCheckpoint(ctx, size)
	if err != nil {
		return err
	}
	if err := a.writeBundle(ctx, ev, c, k, items, cp, w); err != nil {
		return err
	}
	return a.published(ctx, c, who, items, cp)
}

// exportItems loads the case, its key and the items to export.
func (a *App) exportItems(ctx context.Context, ref string, ids []int64) (c casefile.Case, key store.CaseKeyRecord, items []evidence.Item, err error) {
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
		key, err = tx.CaseKey(ctx, c.ID)
		return err
	})
	return c, key, items, err
}

func (a *App) writeBundle(ctx context.Context, ev *Evidence, c casefile.Case, k *vault.CaseKey, items []evidence.Item,
	cp ledger.Checkpoint, w *bundle.Writer) error {
	if err := w.AddBytes(bundle.VKeyFile, []byte(ev.Custody.Key().VKey+"\n")); err != nil {
		return err
	}
	if err := w.AddBytes(bundle.CheckpointFile, cp.Signed); err != nil {
		return err
	}
	for i, it := range items {
		if err := a.writeItem(ctx, ev, c, k, i+1, it, cp, w); err != nil {
			return err
		}
	}
	return w.Close()
}

func (a *App) writeItem(ctx context.Context, ev *Evidence, c casefile.Case, k *vault.CaseKey, n int, it evidence.Item,
	cp ledger.Checkpoint, w *bundle.Writer) error {
	var recs []store.CustodyEventRecord
	err := a.db.View(ctx, func(tx *store.Tx) (err error) { recs, err = tx.CustodyEvents(ctx, c.ID, it.ID); return err })
	if err != nil {
		return err
	}
	obj, err := ev.Store.Open(it.CipherSHA256, k)
	if err != nil {
		return err
	}
	err = w.Add(bundle.ItemDir(n)+"/document", io.NewSectionReader(obj, 0, obj.Size))
	obj.Close()
	if err != nil {
		return err
	}
	desc := bundle.ItemFile{Format: bundle.ItemFormat, Item: n, Title: it.Secret.Title, Kind: string(it.Kind),
		Language: it.Language, OriginalName: it.Secret.OriginalName, Size: it.Size, SHA256: it.Secret.PlainSHA256,
		Salt: hex.EncodeToString(it.Secret.Salt), Commitment: it.Commitment}
	if it.DocumentDate != nil {
		desc.DocumentDate = it.DocumentDate.String()
	}
	for _, r := range recs {
		desc.Events = append(desc.Events, r.LogIndex)
		if err := a.writeEvent(ctx, ev, n, r.LogIndex, cp, w); err != nil {
			return err
		}
	}
	b, err := json.MarshalIndent(desc, "", "  ")
	if err != nil {
		return err
	}
	return w.AddBytes(bundle.ItemDir(n)+"/item.json", append(b, '\n'))
}

func (a *App) writeEvent(ctx context.Context, ev *Evidence, n int, idx int64, cp ledger.Checkpoint, w *bundle.Writer) error {
	entry, err := ev.Custody.Entry(ctx, uint64(idx), uint64(cp.N))
	if err != nil {
		return err
	}
	proof, err := ev.Custody.Proof(ctx, uint64(idx), cp)
	if err != nil {
		return err
	}
	if err := w.AddBytes(bundle.EventPath(n, idx), entry); err != nil {
		return err
	}
	return w.AddBytes(bundle.ProofPath(n, idx), proof)
}

// published records the checkpoint handed out in the bundle (the log may
// never go back behind it) and the export on the timeline.
func (a *App) published(ctx context.Context, c casefile.Case, who string, items []evidence.Item, cp ledger.Checkpoint) error {
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	return a.db.Update(ctx, func(tx *store.Tx) error {
		st := store.CustodyState{Origin: cp.Origin, Size: cp.N, Root: base64.StdEncoding.EncodeToString(cp.Hash[:]), Checkpoint: cp.Signed}
		if err := tx.SaveCustodyState(ctx, st); err != nil {
			return fmt.Errorf("app: record the published checkpoint: %w", err)
		}
		return record(ctx, tx, c, who, casefile.EventEvidenceExported, casefile.EventDetail{EvidenceIDs: ids})
	})
}
