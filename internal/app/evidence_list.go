package app

import (
	"context"

	"github.com/sanctuary-platform/sanctuary/internal/evidence"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// EvidenceView is an item as staff see it: its metadata with the
// identifying fields opened.
type EvidenceView struct {
	evidence.Item
	Title        string `json:"title"`
	ObtainedFrom string `json:"obtained_from,omitempty"`
	OriginalName string `json:"original_name,omitempty"`
	SHA256       string `json:"sha256"`
}

func viewOf(it evidence.Item) EvidenceView {
	return EvidenceView{Item: it, Title: it.Secret.Title, ObtainedFrom: it.Secret.ObtainedFrom,
		OriginalName: it.Secret.OriginalName, SHA256: it.Secret.PlainSHA256}
}

// ListEvidence returns the case's evidence, oldest first.
func (a *App) ListEvidence(ctx context.Context, ref string) ([]EvidenceView, error) {
	out := []EvidenceView{}
	err := a.db.View(ctx, func(tx *store.Tx) error {
		c, err := findCase(ctx, tx, ref)
		if err != nil {
			return err
		}
		items, err := tx.EvidenceList(ctx, c.ID)
		for _, it := range items {
			out = append(out, viewOf(it))
		}
		return err
	})
	return out, err
}

// GetEvidence returns one item's metadata.
func (a *App) GetEvidence(ctx context.Context, ref string, id int64) (EvidenceView, error) {
	var v EvidenceView
	err := a.db.View(ctx, func(tx *store.Tx) error {
		c, err := findCase(ctx, tx, ref)
		if err != nil {
			return err
		}
		it, err := tx.EvidenceByID(ctx, c.ID, id)
		v = viewOf(it)
		return err
	})
	return v, err
}
