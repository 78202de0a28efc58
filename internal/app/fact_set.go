package app

import (
	"context"
	"fmt"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// MaxFactsPerRequest bounds how many facts one SetFacts call may set.
const MaxFactsPerRequest = 500

// SetFact records one fact on the case; see SetFacts.
func (a *App) SetFact(ctx context.Context, ref string, in casefile.FactInput) (casefile.Fact, error) {
	facts, err := a.setFacts(ctx, ref, []casefile.FactInput{in}, func(int) string { return "" })
	if err != nil {
		return casefile.Fact{}, err
	}
	return facts[0], nil
}

// SetFacts records several facts on the case at once: all of them or, if
// any is invalid, none. A fact set to what it already says, from the same
// source, is left as it is (no new history entry). It returns the facts as
// they stand afterwards, in the order given.
func (a *App) SetFacts(ctx context.Context, ref string, ins []casefile.FactInput) ([]casefile.Fact, error) {
	return a.setFacts(ctx, ref, ins, func(i int) string { return fmt.Sprintf("facts[%d].", i) })
}

func (a *App) setFacts(ctx context.Context, ref string, ins []casefile.FactInput, prefix func(int) string) ([]casefile.Fact, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	who := p.Actor()
	if p.Role == sanctuary.RoleClient {
		ins = asStatements(ins)
	}
	facts, err := a.resolveFacts(ins, prefix)
	if err != nil {
		return nil, err
	}
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		c, err := a.openCase(ctx, tx, ref, ActFactWrite, "facts")
		if err != nil {
			return err
		}
		if p.Role == sanctuary.RoleClient {
			if err := clientMayAnswer(ctx, tx, c, facts, prefix); err != nil {
				return err
			}
		}
		return putFacts(ctx, tx, c, who, facts)
	})
	return facts, err
}

// clientMayAnswer refuses a client's answer to a fact that staff recorded
// from a document or established themselves: the client's statement does
// not overwrite it (they can tell their caseworker it is wrong).
func clientMayAnswer(ctx context.Context, tx *store.Tx, c casefile.Case, facts []casefile.Fact, prefix func(int) string) error {
	current, err := tx.Facts(ctx, c.ID)
	if err != nil {
		return err
	}
	byName := map[string]casefile.Fact{}
	for _, f := range current {
		byName[f.Name] = f
	}
	errs := map[string]string{}
	for i, f := range facts {
		if old, ok := byName[f.Name]; ok && old.Source != casefile.SourceStatement {
			errs[prefix(i)+"name"] = "your caseworker recorded this from a document or their own finding; tell them if it is wrong"
		}
	}
	if len(errs) > 0 {
		return &sanctuary.Error{Code: sanctuary.EFORBIDDEN, Message: "some answers cannot be changed here", Fields: errs}
	}
	return nil
}

// asStatements marks a client's answers as their own statements, whatever
// source they claim: a client cannot record a fact as shown by a document
// or established by a caseworker.
func asStatements(ins []casefile.FactInput) []casefile.FactInput {
	out := make([]casefile.FactInput, len(ins))
	for i, in := range ins {
		in.Source = casefile.SourceStatement
		out[i] = in
	}
	return out
}

// resolveFacts checks every input against the vocabulary and reports every
// problem at once.
func (a *App) resolveFacts(ins []casefile.FactInput, prefix func(int) string) ([]casefile.Fact, error) {
	errs := map[string]string{}
	switch {
	case len(ins) == 0:
		errs["facts"] = "give at least one fact"
	case len(ins) > MaxFactsPerRequest:
		errs["facts"] = fmt.Sprintf("at most %d facts at once", MaxFactsPerRequest)
	}
	facts := make([]casefile.Fact, len(ins))
	seen := map[string]bool{}
	for i, in := range ins {
		f, ferrs := in.Resolve(a.vocab, prefix(i))
		mergeErrs(errs, ferrs)
		if seen[in.Name] {
			errs[prefix(i)+"name"] = fmt.Sprintf("fact %q is given twice", in.Name)
		}
		seen[in.Name] = true
		facts[i] = f
	}
	if len(errs) > 0 {
		return nil, sanctuary.Invalid("the facts cannot be recorded", errs)
	}
	return facts, nil
}

// putFacts writes the facts that change something, each with its history
// and timeline entry, and stamps the rest with what is stored.
func putFacts(ctx context.Context, tx *store.Tx, c casefile.Case, who string, facts []casefile.Fact) error {
	current, err := tx.Facts(ctx, c.ID)
	if err != nil {
		return err
	}
	byName := make(map[string]casefile.Fact, len(current))
	for _, f := range current {
		byName[f.Name] = f
	}
	changed := false
	for i := range facts {
		f := &facts[i]
		old, had := byName[f.Name]
		if had && old.Same(*f) {
			*f = old
			continue
		}
		f.RecordedBy = who
		if err := tx.PutFact(ctx, c.ID, f); err != nil {
			return err
		}
		d := casefile.EventDetail{Fact: f}
		if had {
			d.Previous = &old
		}
		if err := record(ctx, tx, c, who, casefile.EventFactSet, d); err != nil {
			return err
		}
		changed = true
	}
	if changed {
		return tx.TouchCase(ctx, &c)
	}
	return nil
}
