package app

import (
	"context"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/rules"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// InterviewState is where a case's interview stands: the questions still
// to ask, the most useful first (see rules.Pack.Interview), which
// questions apply at all given the answers so far, and the answers.
type InterviewState struct {
	Next    []rules.Question
	Asked   map[string]bool
	Facts   []casefile.Fact
	Answers int
}

// Interview reads where the case's interview stands, for its client or
// its team. The order of the questions comes from an assessment as of
// today, which is not kept and not shown.
func (a *App) Interview(ctx context.Context, ref string) (InterviewState, error) {
	var st InterviewState
	var c casefile.Case
	err := a.db.View(ctx, func(tx *store.Tx) (err error) {
		if c, err = a.openCase(ctx, tx, ref, ActFactRead, "interview"); err != nil {
			return err
		}
		st.Facts, err = tx.Facts(ctx, c.ID)
		return err
	})
	if err != nil {
		return st, err
	}
	facts := a.withPersonFacts(c, st.Facts)
	res, err := a.assessFacts(c, st.Facts, AssessRequest{})
	if err != nil {
		return st, err
	}
	if st.Next, err = a.pack.Interview(facts, res); err != nil {
		return st, err
	}
	st.Asked, err = a.pack.Asked(facts)
	for _, f := range facts {
		if st.Asked[f.Name] {
			st.Answers++
		}
	}
	return st, err
}

// SubmitAnswers tells the client's team, on the case's timeline, that the
// client has reviewed their answers and sent them.
func (a *App) SubmitAnswers(ctx context.Context) error {
	ref, err := a.ClientCase(ctx)
	if err != nil {
		return err
	}
	who, err := actor(ctx)
	if err != nil {
		return err
	}
	return a.db.Update(ctx, func(tx *store.Tx) error {
		c, err := a.openCase(ctx, tx, ref, ActFactWrite, "interview answers")
		if err != nil {
			return err
		}
		if c.KeyDestroyed {
			return sanctuary.Errorf(sanctuary.ECONFLICT, "the case is closed to new answers")
		}
		return record(ctx, tx, c, who, casefile.EventAnswersSubmitted, casefile.EventDetail{})
	})
}
