package app

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"time"

	"github.com/sanctuary-platform/sanctuary/internal/audit"
	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/vault"
)

// FsckReport is what Fsck found and did.
type FsckReport struct {
	Objects          int            `json:"objects"`
	Items            int            `json:"items"`
	Recovered        RecoveryReport `json:"recovered"`
	OrphansRemoved   int            `json:"orphans_removed"`
	TempRemoved      int            `json:"temp_removed"`
	LogSize          int64          `json:"log_size"`
	EventsChecked    int            `json:"events_checked"`
	UnrecordedEvents int64          `json:"unrecorded_events"`
	// Decrypted counts the items a deep check decrypted and found to be
	// the documents their commitments name; Unopenable those it could not
	// try, their case's key being destroyed.
	Decrypted  int      `json:"decrypted,omitempty"`
	Unopenable int      `json:"unopenable,omitempty"`
	Problems   []string `json:"problems,omitempty"`
}

// OrphanGrace is how old an unreferenced object must be before Fsck removes
// it: younger ones may belong to an ingest still under way elsewhere.
const OrphanGrace = time.Hour

// Fsck checks the vault and the custody log against the database:
// interrupted ingests older than grace are completed or undone (see
// RecoverEvidence), temporary files and unreferenced objects older than
// grace are removed, every item's object
// must exist (and, with deep, decrypt to the document its commitment
// names), the log's checkpoint must
// verify and not be older than the one recorded, and every recorded custody
// event must be at its index in the log.
func (a *App) Fsck(ctx context.Context, grace time.Duration, deep bool) (FsckReport, error) {
	var rep FsckReport
	if _, err := a.permit(ctx, ActMaintain, "vault and custody log"); err != nil {
		return rep, err
	}
	ev, err := a.evidence()
	if err != nil {
		return rep, err
	}
	if err := a.CheckCustody(ctx); err != nil {
		rep.Problems = append(rep.Problems, err.Error())
		return rep, nil
	}
	if rep.Recovered, err = a.RecoverEvidence(ctx, grace); err != nil {
		return rep, err
	}
	if rep.TempRemoved, err = ev.Store.Sweep(grace); err != nil {
		return rep, err
	}
	if err := a.checkObjects(ctx, ev, grace, deep, &rep); err != nil {
		return rep, err
	}
	return rep, a.checkEvents(ctx, ev, &rep)
}

func (a *App) checkObjects(ctx context.Context, ev *Evidence, grace time.Duration, deep bool, rep *FsckReport) error {
	var items map[string]int64
	if err := a.db.View(ctx, func(tx *store.Tx) (err error) { items, err = tx.ObjectIDs(ctx); return err }); err != nil {
		return err
	}
	objs, err := ev.Store.List()
	if err != nil {
		return err
	}
	rep.Objects, rep.Items = len(objs), len(items)
	onDisk := map[string]bool{}
	for _, h := range objs {
		onDisk[h] = true
		if _, ok := items[h]; !ok && ev.Store.Age(h) >= grace {
			if err := ev.Store.Remove(h); err == nil {
				rep.OrphansRemoved++
			}
			continue
		}
	}
	for h, id := range items {
		if !onDisk[h] {
			rep.Problems = append(rep.Problems, fmt.Sprintf("evidence item %d: its object %s is missing", id, h[:12]))
		}
	}
	if deep {
		return a.decryptAll(ctx, ev, rep)
	}
	return nil
}

// decryptAll reads every item's object with its case's key: age checks
// each 64 KiB chunk's tag as it decrypts, and the plaintext's SHA-256,
// with the item's salt, must give the commitment the custody log holds.
func (a *App) decryptAll(ctx context.Context, ev *Evidence, rep *FsckReport) error {
	var cases []int64
	if err := a.db.View(ctx, func(tx *store.Tx) (err error) { cases, err = tx.EvidenceCases(ctx); return err }); err != nil {
		return err
	}
	for _, id := range cases {
		if err := a.decryptCase(ctx, ev, id, rep); err != nil {
			return err
		}
	}
	return nil
}

func (a *App) decryptCase(ctx context.Context, ev *Evidence, caseID int64, rep *FsckReport) error {
	var items []evidence.Item
	var rec store.CaseKeyRecord
	err := a.db.View(ctx, func(tx *store.Tx) (err error) {
		if items, err = tx.EvidenceList(ctx, caseID); err != nil {
			return err
		}
		rec, err = tx.CaseKey(ctx, caseID)
		return err
	})
	if err != nil {
		return err
	}
	if rec.Wrapped == nil {
		rep.Unopenable += len(items)
		return nil
	}
	k, err := ev.Key.Unwrap(rec.Wrapped)
	if err != nil {
		return err
	}
	for _, it := range items {
		if err := checkObject(ev, k, it); err != nil {
			rep.Problems = append(rep.Problems, fmt.Sprintf("evidence item %d: %v", it.ID, err))
			continue
		}
		rep.Decrypted++
	}
	return nil
}

// checkObject decrypts an item's object and compares it with the item's
// commitment.
func checkObject(ev *Evidence, k *vault.CaseKey, it evidence.Item) error {
	if err := openSecret(k, &it); err != nil {
		return err
	}
	obj, err := ev.Store.Open(it.ObjectID, k)
	if err != nil {
		return fmt.Errorf("its object does not decrypt: %w", err)
	}
	defer obj.Close()
	h := sha256.New()
	if _, err := io.CopyBuffer(h, io.NewSectionReader(obj, 0, obj.Size), make([]byte, 1<<20)); err != nil {
		return fmt.Errorf("its object %s does not decrypt: %w", it.ObjectID[:12], err)
	}
	if custody.Commit(it.Secret.Salt, h.Sum(nil)) != it.Commitment {
		return fmt.Errorf("its object %s is not the document that was logged", it.ObjectID[:12])
	}
	return nil
}

// checkEvents compares every recorded custody event with the log.
func (a *App) checkEvents(ctx context.Context, ev *Evidence, rep *FsckReport) error {
	size, err := ev.Custody.Size(ctx)
	if err != nil {
		return err
	}
	rep.LogSize = int64(size)
	var recs []store.CustodyEventRecord
	if err := a.db.View(ctx, func(tx *store.Tx) (err error) { recs, err = tx.AllCustodyEvents(ctx, ev.origin()); return err }); err != nil {
		return err
	}
	for _, r := range recs {
		rep.EventsChecked++
		b, err := ev.Custody.Entry(ctx, uint64(r.LogIndex), size)
		if err != nil || custody.Hash(b) != r.Hash {
			rep.Problems = append(rep.Problems, fmt.Sprintf("custody event %d does not match the log", r.LogIndex))
		}
	}
	var anchors []audit.Anchor
	if err := a.db.View(ctx, func(tx *store.Tx) (err error) { anchors, err = tx.AuditAnchors(ctx); return err }); err != nil {
		return err
	}
	rep.UnrecordedEvents = int64(size) - int64(len(recs)) - int64(len(anchors))
	return nil
}
