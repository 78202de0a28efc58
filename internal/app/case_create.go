package app

import (
	"context"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// NewCase is what is needed to open a case.
type NewCase struct {
	Person       casefile.Person
	Destinations []string
	Assignees    []string
}

// valid returns every problem with the new case.
func (n NewCase) valid(today casefile.Date) map[string]string {
	errs := n.Person.Valid("person.", today)
	mergeErrs(errs, casefile.ValidDestinations("destinations", n.Destinations))
	mergeErrs(errs, casefile.ValidAssignees("assignees", n.Assignees))
	_, terrs := normalTeam("assignees", n.Assignees)
	mergeErrs(errs, terrs)
	return errs
}

// CreateCase opens a case in status intake under the next free reference
// of the year. Its team is the assignees (staff accounts' email
// addresses) and the lawyer or caseworker who opens it.
func (a *App) CreateCase(ctx context.Context, n NewCase) (casefile.Case, error) {
	who, err := actor(ctx)
	if err != nil {
		return casefile.Case{}, err
	}
	if errs := n.valid(a.today()); len(errs) > 0 {
		return casefile.Case{}, sanctuary.Invalid("the case cannot be opened", errs)
	}
	c := casefile.Case{
		Status:       casefile.StatusIntake,
		Person:       normalPerson(n.Person),
		Destinations: orEmpty(n.Destinations),
		CreatedBy:    who,
	}
	c.Assignees, _ = normalTeam("assignees", n.Assignees)
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		p, err := a.allow(ctx, tx, ActCaseCreate, "case")
		if err != nil {
			return err
		}
		c.Assignees = withCreator(p, c.Assignees)
		if err := checkTeam(ctx, tx, "assignees", c.Assignees); err != nil {
			return err
		}
		ref, err := tx.NextReference(ctx, tx.Now().Year())
		if err != nil {
			return err
		}
		c.Reference = ref
		if err := tx.InsertCase(ctx, &c); err != nil {
			return err
		}
		return record(ctx, tx, c, who, casefile.EventCaseCreated, casefile.EventDetail{})
	})
	if err != nil {
		return casefile.Case{}, err
	}
	return c, nil
}

// normalPerson replaces nil lists by empty ones, so that a case reads back
// exactly as it was written.
func normalPerson(p casefile.Person) casefile.Person {
	p.Contacts = orEmpty(p.Contacts)
	p.Citizenships = orEmpty(p.Citizenships)
	p.Languages = orEmpty(p.Languages)
	return p
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// MayCreateCase tells whether the acting principal may open cases, before
// they fill in the form (the decision is in the audit trail).
func (a *App) MayCreateCase(ctx context.Context) error {
	_, err := a.permit(ctx, ActCaseCreate, "new case form")
	return err
}
