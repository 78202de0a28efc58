package app

import (
	"context"
	"fmt"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// Facts returns the current state of every fact asked on the case.
func (a *App) Facts(ctx context.Context, ref string) ([]casefile.Fact, error) {
	var facts []casefile.Fact
	err := a.db.View(ctx, func(tx *store.Tx) error {
		c, err := a.openCase(ctx, tx, ref, ActFactRead, "facts")
		if err != nil {
			return err
		}
		if err := shredded(c, "facts"); err != nil {
			return err
		}
		facts, err = tx.Facts(ctx, c.ID)
		return err
	})
	return facts, err
}

// FactHistory returns every state the named fact has had on the case, oldest
// first; with name "", the history of all facts. The name must be in the
// vocabulary.
func (a *App) FactHistory(ctx context.Context, ref, name string) ([]casefile.Fact, error) {
	if _, ok := a.vocab.Lookup(name); name != "" && !ok {
		return nil, sanctuary.Invalid("the history cannot be read",
			map[string]string{"name": fmt.Sprintf("unknown fact %s", quoteShort(name))})
	}
	var hist []casefile.Fact
	err := a.db.View(ctx, func(tx *store.Tx) error {
		c, err := a.openCase(ctx, tx, ref, ActCaseRead, "fact history")
		if err != nil {
			return err
		}
		if err := shredded(c, "facts"); err != nil {
			return err
		}
		hist, err = tx.FactHistory(ctx, c.ID, name)
		return err
	})
	return hist, err
}

// shredded answers ECONFLICT for a case whose key was destroyed — whether
// or not it held any of what was asked for, so that the answer does not
// tell what the case held.
func shredded(c casefile.Case, what string) error {
	if c.KeyDestroyed {
		return sanctuary.Errorf(sanctuary.ECONFLICT, "the case's key was destroyed: its %s can no longer be read", what)
	}
	return nil
}
