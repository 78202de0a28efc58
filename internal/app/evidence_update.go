package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// UpdateEvidence replaces an item's description (title, kind, dates,
// source, language, the facts it supports, the original it translates).
// The change is an annotate event in the custody log, naming the fields
// changed but not their values and committing to the new description (a
// bundle shows it, and its verifier checks it against that commitment),
// and an entry on the case's timeline.
func (a *App) UpdateEvidence(ctx context.Context, ref string, id int64, m evidence.Meta) (EvidenceView, error) {
	who, err := actor(ctx)
	if err != nil {
		return EvidenceView{}, err
	}
	ev, err := a.evidence()
	if err != nil {
		return EvidenceView{}, err
	}
	if errs := m.Valid(a.vocab, a.today()); len(errs) > 0 {
		return EvidenceView{}, sanctuary.Invalid("the evidence cannot be changed", errs)
	}
	var c casefile.Case
	var it evidence.Item
	var key store.CaseKeyRecord
	var links map[int64]string
	err = a.db.View(ctx, func(tx *store.Tx) (err error) {
		if c, err = a.openCase(ctx, tx, ref, ActEvidenceEdit, fmt.Sprintf("evidence %d", id)); err != nil {
			return err
		}
		if it, err = tx.EvidenceByID(ctx, c.ID, id); err != nil {
			return err
		}
		if m.TranslationOf == id {
			return sanctuary.Invalid("the evidence cannot be changed", map[string]string{"translation_of": "an item cannot translate itself"})
		}
		if links, err = tx.EvidenceCommitments(ctx, c.ID); err != nil {
			return err
		}
		if _, ok := links[m.TranslationOf]; m.TranslationOf != 0 && !ok {
			return sanctuary.Invalid("the evidence cannot be changed", map[string]string{"translation_of": "is not an item of this case"})
		}
		key, err = tx.CaseKey(ctx, c.ID)
		return err
	})
	if err != nil {
		return EvidenceView{}, err
	}
	if err := ev.fault("edit-read"); err != nil {
		return EvidenceView{}, err
	}
	k, err := unwrap(ev, key)
	if err != nil {
		return EvidenceView{}, err
	}
	if err := openSecret(k, &it); err != nil {
		return EvidenceView{}, err
	}
	m.OriginalName = it.Secret.OriginalName // the file's name is what it was
	changed := m.Apply(&it)
	if len(changed) == 0 {
		return viewOf(it), nil
	}
	if err := commitDescription(&it, links); err != nil {
		return EvidenceView{}, err
	}
	if it.Sealed, err = sealSecret(key.Recipient, it.Secret); err != nil {
		return EvidenceView{}, err
	}
	err = a.logItemEvent(ctx, ev, c, key.Tag, &it, custody.Annotate, who, "changed: "+strings.Join(changed, ","),
		func(tx *store.Tx) error {
			if err := tx.UpdateEvidence(ctx, c.ID, &it); err != nil {
				return err
			}
			return record(ctx, tx, c, who, casefile.EventEvidenceEdited, casefile.EventDetail{EvidenceID: id, Fields: changed})
		})
	return viewOf(it), err
}
