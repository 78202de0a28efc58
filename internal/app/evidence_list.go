package app

import (
	"context"
	"fmt"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// EvidenceView is an item as staff see it: its metadata with the
// identifying fields opened (empty once the case key is destroyed).
type EvidenceView struct {
	evidence.Item
	Title        string `json:"title"`
	ObtainedFrom string `json:"obtained_from,omitempty"`
	OriginalName string `json:"original_name,omitempty"`
	SHA256       string `json:"sha256,omitempty"`
	KeyDestroyed bool   `json:"key_destroyed,omitempty"`
}

func viewOf(it evidence.Item) EvidenceView {
	return EvidenceView{Item: it, Title: it.Secret.Title, ObtainedFrom: it.Secret.ObtainedFrom,
		OriginalName: it.Secret.OriginalName, SHA256: it.Secret.PlainSHA256}
}

// evidenceObject names the items read, for the audit trail.
func evidenceObject(id int64) string {
	if id == 0 {
		return "evidence list"
	}
	return fmt.Sprintf("evidence %d", id)
}

// readItems loads items of the case (all, or the one with id) and opens
// their identifying fields.
func (a *App) readItems(ctx context.Context, ref string, id int64) ([]EvidenceView, error) {
	ev, err := a.evidence()
	if err != nil {
		return nil, err
	}
	var items []evidence.Item
	var rec store.CaseKeyRecord
	var c casefile.Case
	err = a.db.View(ctx, func(tx *store.Tx) (err error) {
		c, err = a.openCase(ctx, tx, ref, ActEvidenceRead, evidenceObject(id))
		if err != nil {
			return err
		}
		if id == 0 {
			items, err = tx.EvidenceList(ctx, c.ID)
		} else {
			var it evidence.Item
			it, err = tx.EvidenceByID(ctx, c.ID, id)
			items = []evidence.Item{it}
		}
		if err != nil || len(items) == 0 {
			return err
		}
		rec, err = tx.CaseKey(ctx, c.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return a.openItems(ev, items, rec, c.ID)
}

// openItems opens the identifying fields of a case's items.
func (a *App) openItems(ev *Evidence, items []evidence.Item, key store.CaseKeyRecord, caseID int64) ([]EvidenceView, error) {
	out := make([]EvidenceView, len(items))
	if len(items) == 0 {
		return out, nil
	}
	destroyed, err := openSecrets(ev, key, items, &a.secrets, caseID)
	if err != nil {
		return nil, err
	}
	for i, it := range items {
		out[i] = viewOf(it)
		out[i].KeyDestroyed = destroyed
	}
	return out, nil
}

// ListEvidence returns the case's evidence, oldest first.
func (a *App) ListEvidence(ctx context.Context, ref string) ([]EvidenceView, error) {
	return a.readItems(ctx, ref, 0)
}

// GetEvidence returns one item's description.
func (a *App) GetEvidence(ctx context.Context, ref string, id int64) (EvidenceView, error) {
	vs, err := a.readItems(ctx, ref, id)
	if err != nil {
		return EvidenceView{}, err
	}
	return vs[0], nil
}
