package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/vault"
)

// AddEvidence stores a document as evidence of the case: body is read
// once, encrypted to the case's key as it streams (the plaintext never
// touches the disk), and its ingest is logged in the custody log.
//
// It is crash-safe: the item becomes visible only once its object is on
// disk and its ingest event is in the log. An interruption leaves at most
// an invisible pending item or an orphan object, which RecoverEvidence
// completes or removes once it is older than the grace period.
func (a *App) AddEvidence(ctx context.Context, ref string, m evidence.Meta, body io.Reader) (evidence.Item, error) {
	return a.addEvidence(ctx, ref, m, body, 0)
}

// addEvidence ingests a document; derivedFrom names the item it was made
// from, if Sanctuary made it.
func (a *App) addEvidence(ctx context.Context, ref string, m evidence.Meta, body io.Reader, derivedFrom int64) (evidence.Item, error) {
	who, err := actor(ctx)
	if err != nil {
		return evidence.Item{}, err
	}
	ev, err := a.evidence()
	if err != nil {
		return evidence.Item{}, err
	}
	if errs := m.Valid(a.vocab, a.today()); len(errs) > 0 {
		return evidence.Item{}, sanctuary.Invalid("the evidence cannot be added", errs)
	}
	c, key, links, err := a.prepareIngest(ctx, ev, ref, m)
	if err != nil {
		return evidence.Item{}, err
	}
	put, err := ev.Store.Put(body, key.Recipient)
	var src *vault.SourceError
	switch {
	case errors.As(err, &src):
		return evidence.Item{}, &sanctuary.Error{Code: sanctuary.EINVALID, Message: "the document could not be read to the end; nothing was stored", Err: err}
	case err != nil:
		return evidence.Item{}, &sanctuary.Error{Code: sanctuary.EUNAVAILABLE, Message: "the document could not be stored", Err: err}
	}
	if err := ev.fault("stored"); err != nil {
		return evidence.Item{}, err
	}
	it, event, err := a.pendingItem(ctx, c, key, m, put, who, derivedFrom, links)
	if err != nil {
		ev.Store.Remove(put.ObjectID)
		return evidence.Item{}, err
	}
	if err := ev.fault("pending"); err != nil {
		return evidence.Item{}, err
	}
	return it, a.logIngest(ctx, ev, c, &it, event, who)
}

// prepareIngest checks the case and the translation link, and makes the
// case key if it has none yet. It returns the commitments of the case's
// items, which the new item's description names its originals by.
func (a *App) prepareIngest(ctx context.Context, ev *Evidence, ref string, m evidence.Meta) (c casefile.Case, key store.CaseKeyRecord,
	links map[int64]string, err error) {
	err = a.db.Update(ctx, func(tx *store.Tx) (err error) {
		if c, err = a.openCase(ctx, tx, ref, ActEvidenceAdd, "evidence"); err != nil {
			return err
		}
		if links, err = tx.EvidenceCommitments(ctx, c.ID); err != nil {
			return err
		}
		if _, ok := links[m.TranslationOf]; m.TranslationOf != 0 && !ok {
			return sanctuary.Invalid("the evidence cannot be added", map[string]string{"translation_of": "is not an item of this case"})
		}
		if key, err = a.caseKeyRecord(ctx, tx, ev, c); err != nil {
			return err
		}
		if key.Wrapped == nil {
			return sanctuary.Errorf(sanctuary.ECONFLICT, "the case's key was destroyed: no evidence can be added to it")
		}
		return nil
	})
	return c, key, links, err
}

// pendingItem records the item as pending with the ingest event that will
// commit it.
func (a *App) pendingItem(ctx context.Context, c casefile.Case, key store.CaseKeyRecord, m evidence.Meta, put vault.Put,
	who string, derivedFrom int64, links map[int64]string) (evidence.Item, custody.Event, error) {
	salt := make([]byte, custody.SaltSize)
	_, err := rand.Read(salt)
	if err != nil {
		return evidence.Item{}, custody.Event{}, err
	}
	plain, _ := hex.DecodeString(put.PlainSHA256)
	it := evidence.Item{Kind: m.Kind, DocumentDate: m.DocumentDate, ObtainedAt: m.ObtainedAt, Language: m.Language,
		Facts: orEmpty(m.Facts), TranslationOf: m.TranslationOf, DerivedFrom: derivedFrom, Size: put.Size, ObjectID: put.ObjectID,
		Commitment: custody.Commit(salt, plain), CreatedBy: who,
		Secret: evidence.Secret{Title: m.Title, ObtainedFrom: m.ObtainedFrom, OriginalName: m.OriginalName,
			PlainSHA256: put.PlainSHA256, Salt: salt}}
	if err := commitDescription(&it, links); err != nil {
		return it, custody.Event{}, err
	}
	if it.Sealed, err = sealSecret(key.Recipient, it.Secret); err != nil {
		return it, custody.Event{}, err
	}
	event := custody.Event{Type: custody.Ingest, Time: a.eventTime(), Case: key.Tag, Object: it.Commitment,
		Description: it.DescriptionCommitment, Actor: who, Prev: "-"}
	encoded, err := event.Marshal()
	if err != nil {
		return it, event, err
	}
	it.LastEvent = custody.Hash(encoded)
	err = a.db.Update(ctx, func(tx *store.Tx) error { return tx.InsertEvidence(ctx, c.ID, &it, encoded) })
	return it, event, err
}

// logIngest appends the ingest event and commits the item, in one
// transaction that holds the pending item locked throughout: recovery
// (RecoverEvidence), in this process or another, passes over a locked
// item, so it never completes or undoes an ingest under way however slow
// its append. If recovery undid the item first (the process stood still
// for longer than the grace period), nothing is logged and the ingest
// fails. Should the commit fail after the append, the item stays pending
// with its event in the log, and recovery completes it.
func (a *App) logIngest(ctx context.Context, ev *Evidence, c casefile.Case, it *evidence.Item, event custody.Event, who string) error {
	shredded := false
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.LockPendingEvidence(ctx, it.ID); err != nil {
			return &sanctuary.Error{Code: sanctuary.ECONFLICT,
				Message: "the upload stood still for so long that it was undone; nothing was stored: add the document again", Err: err}
		}
		// A shred of the case meanwhile wins: the item would be born
		// unreadable. Holding the key record makes a shred wait for the
		// commit otherwise.
		if err := tx.HoldCaseKey(ctx, c.ID); sanctuary.ErrorCode(err) == sanctuary.ECONFLICT {
			shredded = true
			return tx.DeletePendingEvidence(ctx, it.ID)
		} else if err != nil {
			return err
		}
		return a.appendIngest(ctx, tx, ev, c, it, event, who)
	})
	if err == nil && shredded {
		ev.Store.Remove(it.ObjectID)
		return sanctuary.Errorf(sanctuary.ECONFLICT, "the case's key was destroyed while the document was being stored: nothing was stored")
	}
	return err
}

// appendIngest logs the ingest event and commits the item, in logIngest's
// transaction.
func (a *App) appendIngest(ctx context.Context, tx *store.Tx, ev *Evidence, c casefile.Case, it *evidence.Item, event custody.Event, who string) error {
	idx, _, err := ev.Custody.Append(ctx, event)
	if err != nil {
		return fmt.Errorf("app: log the ingest (the item stays pending): %w", err)
	}
	if err := ev.fault("logged"); err != nil {
		return err
	}
	it.LogIndex = int64(idx)
	if err := tx.CommitEvidence(ctx, it.ID, it.LogIndex); err != nil {
		return err
	}
	rec := store.CustodyEventRecord{Origin: ev.origin(), LogIndex: it.LogIndex, CaseID: c.ID, EvidenceID: it.ID,
		Type: custody.Ingest, Hash: it.LastEvent, At: it.CreatedAt}
	if err := tx.InsertCustodyEvent(ctx, rec); err != nil {
		return err
	}
	return record(ctx, tx, c, who, casefile.EventEvidenceAdded, casefile.EventDetail{EvidenceID: it.ID})
}
