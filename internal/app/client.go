package app

import (
	"context"
	"io"
	"path"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// The use cases of a client who came in through an invitation: they act
// on their own case only, which they do not name.

// ClientCase returns the reference of the acting client's case.
func (a *App) ClientCase(ctx context.Context) (string, error) {
	p, err := principal(ctx)
	if err != nil {
		return "", err
	}
	if p.Role != sanctuary.RoleClient {
		return "", sanctuary.Errorf(sanctuary.EFORBIDDEN, "only a client has a case of their own")
	}
	var ref string
	err = a.db.View(ctx, func(tx *store.Tx) (err error) { ref, err = tx.CaseReference(ctx, p.CaseID); return err })
	return ref, err
}

// AnswerQuestions records the acting client's answers on their case, as
// their own statements (see SetFacts); no answer at all is no change.
func (a *App) AnswerQuestions(ctx context.Context, ins []casefile.FactInput) ([]casefile.Fact, error) {
	ref, err := a.ClientCase(ctx)
	if err != nil || len(ins) == 0 {
		return nil, err
	}
	return a.SetFacts(ctx, ref, ins)
}

// SendDocument adds a document the acting client sends to their case,
// described by its title, of kind "other", as obtained from the client.
func (a *App) SendDocument(ctx context.Context, title, fileName string, body io.Reader) (evidence.Item, error) {
	ref, err := a.ClientCase(ctx)
	if err != nil {
		return evidence.Item{}, err
	}
	m := evidence.Meta{Title: title, Kind: evidence.KindOther, ObtainedFrom: "the client, through their invitation",
		OriginalName: path.Base(fileName)}
	return a.AddEvidence(ctx, ref, m, body)
}
