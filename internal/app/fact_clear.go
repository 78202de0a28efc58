package app

import (
	"context"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// ClearFact makes a fact not asked again, for an answer given by mistake.
// Its history keeps what it was. It returns ENOTFOUND if the fact has not
// been asked on the case.
func (a *App) ClearFact(ctx context.Context, ref, name string) error {
	who, err := actor(ctx)
	if err != nil {
		return err
	}
	if !casefile.ValidFactName(name) {
		return sanctuary.Invalid("the fact cannot be cleared", map[string]string{"name": "is not a fact name"})
	}
	return a.db.Update(ctx, func(tx *store.Tx) error {
		c, err := a.openCase(ctx, tx, ref, ActFactWrite, "fact "+name)
		if err != nil {
			return err
		}
		prev, err := currentFact(ctx, tx, c, name)
		if err != nil {
			return err
		}
		if err := tx.ClearFact(ctx, c.ID, name, who); err != nil {
			return err
		}
		if err := record(ctx, tx, c, who, casefile.EventFactCleared, casefile.EventDetail{Previous: &prev}); err != nil {
			return err
		}
		return tx.TouchCase(ctx, &c)
	})
}

func currentFact(ctx context.Context, tx *store.Tx, c casefile.Case, name string) (casefile.Fact, error) {
	facts, err := tx.Facts(ctx, c.ID)
	if err != nil {
		return casefile.Fact{}, err
	}
	for _, f := range facts {
		if f.Name == name {
			return f, nil
		}
	}
	return casefile.Fact{}, sanctuary.Errorf(sanctuary.ENOTFOUND, "fact %s has not been asked on case %s", name, c.Reference)
}
