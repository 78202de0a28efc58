package app

import (
	"context"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/vault"
)

// ShredCase destroys the case's keys (crypto-shredding): afterwards no
// evidence object of the case can be decrypted, and none of its client
// data in the database (the person, facts, notes, event details,
// assessments, evidence descriptions) can be read, by anyone; its names
// leave the blind index. The objects, the rows and the custody log stay as
// they are — the log still verifies — and the shred is itself a custody
// event, naming the evidence key's fingerprint, and a timeline event.
func (a *App) ShredCase(ctx context.Context, ref string) error {
	who, err := actor(ctx)
	if err != nil {
		return err
	}
	ev, err := a.evidence()
	if err != nil {
		return err
	}
	var c casefile.Case
	var pending store.PendingCustodyEvent
	err = a.db.Update(ctx, func(tx *store.Tx) (err error) {
		if c, err = a.openCase(ctx, tx, ref, ActCaseShred, "case keys"); err != nil {
			return err
		}
		key, err := a.caseKeyRecord(ctx, tx, ev, c)
		if err != nil {
			return err
		}
		if err := tx.ShredCaseKey(ctx, c.ID); err != nil {
			return err
		}
		if err := record(ctx, tx, c, who, casefile.EventKeyShredded, casefile.EventDetail{}); err != nil {
			return err
		}
		// The shred's custody event goes into the same transaction, so
		// that a crash before it reaches the log cannot lose it.
		if pending, err = a.pendingCaseEvent(ctx, tx, ev, c, key.Tag, custody.Shred, who, "case key "+vault.Fingerprint(key.Recipient)); err != nil {
			return err
		}
		return tx.DestroyDataKey(ctx, c.ID)
	})
	if err != nil {
		return err
	}
	a.secrets.forget(c.ID)
	if err := a.db.Checkpoint(ctx); err != nil { // the shred stands; the old key leaves the log later
		a.log.Warn("checkpoint after a shred failed", "err", err)
	}
	if err := ev.fault("shredded"); err != nil {
		return err
	}
	return a.appendPending(ctx, ev, pending)
}

// ExportCaseKey returns the case's identity as an age identity file, with
// which the stock age command decrypts the case's objects. The export is
// logged in the custody log and on the timeline.
func (a *App) ExportCaseKey(ctx context.Context, ref string) ([]byte, error) {
	who, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	ev, err := a.evidence()
	if err != nil {
		return nil, err
	}
	var c casefile.Case
	var key store.CaseKeyRecord
	err = a.db.Update(ctx, func(tx *store.Tx) (err error) {
		if c, err = a.openCase(ctx, tx, ref, ActCaseKeyExport, "evidence key"); err != nil {
			return err
		}
		if key, err = a.caseKeyRecord(ctx, tx, ev, c); err != nil {
			return err
		}
		if key.Wrapped == nil {
			return nil // unwrap below says it was shredded
		}
		return record(ctx, tx, c, who, casefile.EventKeyExported, casefile.EventDetail{})
	})
	if err != nil {
		return nil, err
	}
	k, err := unwrap(ev, key)
	if err != nil {
		return nil, err
	}
	if _, err := a.logCaseEvent(ctx, ev, c, key.Tag, custody.Export, who, "case key "+vault.Fingerprint(key.Recipient)); err != nil {
		return nil, err
	}
	return k.Export(c.Reference), nil
}
