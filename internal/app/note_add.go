package app

import (
	"context"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// AddNote adds a note to the case.
func (a *App) AddNote(ctx context.Context, ref, body string) (casefile.Note, error) {
	who, err := actor(ctx)
	if err != nil {
		return casefile.Note{}, err
	}
	if msg := casefile.ValidNoteBody(body); msg != "" {
		return casefile.Note{}, sanctuary.Invalid("the note cannot be added", map[string]string{"body": msg})
	}
	n := casefile.Note{Body: body, CreatedBy: who}
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		c, err := a.openCase(ctx, tx, ref, ActCaseUpdate, "note")
		if err != nil {
			return err
		}
		if err := tx.InsertNote(ctx, c.ID, &n); err != nil {
			return err
		}
		if err := record(ctx, tx, c, who, casefile.EventNoteAdded, casefile.EventDetail{NoteID: n.ID}); err != nil {
			return err
		}
		return tx.TouchCase(ctx, &c)
	})
	return n, err
}

// Notes returns the case's notes, oldest first.
func (a *App) Notes(ctx context.Context, ref string) ([]casefile.Note, error) {
	var notes []casefile.Note
	err := a.db.View(ctx, func(tx *store.Tx) error {
		c, err := a.openCase(ctx, tx, ref, ActCaseRead, "notes")
		if err != nil {
			return err
		}
		if err := shredded(c, "notes"); err != nil {
			return err
		}
		notes, err = tx.Notes(ctx, c.ID)
		return err
	})
	return notes, err
}
