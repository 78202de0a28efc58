package app

import (
	"context"
	"reflect"
	"slices"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// CaseUpdate changes a case record. Nil fields stay as they are; a given
// field replaces the old value entirely. If Version is set, the update is
// refused with ECONFLICT unless the case is still at that version.
type CaseUpdate struct {
	Version      *int64
	Person       *casefile.Person
	Destinations *[]string
	Assignees    *[]string
	// KeepContacts keeps the person's contact channels as they are when
	// Person is given: for a form that does not show them.
	KeepContacts bool
}

func (u CaseUpdate) valid(today casefile.Date) map[string]string {
	errs := map[string]string{}
	if u.Person == nil && u.Destinations == nil && u.Assignees == nil {
		errs["person"] = "give at least one of person, destinations, assignees"
	}
	if u.Person != nil {
		mergeErrs(errs, u.Person.Valid("person.", today))
	}
	if u.Destinations != nil {
		mergeErrs(errs, casefile.ValidDestinations("destinations", *u.Destinations))
	}
	if u.Assignees != nil && len(*u.Assignees) == 0 {
		errs["assignees"] = errEmptyTeam
	}
	if u.Assignees != nil {
		mergeErrs(errs, casefile.ValidAssignees("assignees", *u.Assignees))
		team, terrs := normalTeam("assignees", *u.Assignees)
		mergeErrs(errs, terrs)
		*u.Assignees = team
	}
	return errs
}

// UpdateCase applies u to the case. An update that changes nothing writes
// nothing.
func (a *App) UpdateCase(ctx context.Context, ref string, u CaseUpdate) (casefile.Case, error) {
	who, err := actor(ctx)
	if err != nil {
		return casefile.Case{}, err
	}
	if errs := u.valid(a.today()); len(errs) > 0 {
		return casefile.Case{}, sanctuary.Invalid("the case cannot be updated", errs)
	}
	var c casefile.Case
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		if c, err = a.openCase(ctx, tx, ref, ActCaseUpdate, "case record"); err != nil {
			return err
		}
		if err := checkVersion(c, u.Version); err != nil {
			return err
		}
		if u.Assignees != nil {
			if p, _ := principal(ctx); p.Role == sanctuary.RoleAdmin { // in on break-glass
				return sanctuary.Errorf(sanctuary.EFORBIDDEN, "an admin in on break-glass cannot change the case's team; its lawyer or caseworker can")
			}
			if err := checkTeam(ctx, tx, "assignees", *u.Assignees); err != nil {
				return err
			}
		}
		d := u.apply(&c)
		if len(d.Fields) == 0 {
			return nil
		}
		if err := tx.UpdateCase(ctx, &c); err != nil {
			return err
		}
		return record(ctx, tx, c, who, casefile.EventCaseUpdated, d)
	})
	return c, err
}

func checkVersion(c casefile.Case, v *int64) error {
	if v != nil && *v != c.Version {
		return &sanctuary.Error{Code: sanctuary.ECONFLICT,
			Message: "the case was changed by someone else; reload it and try again",
			Fields:  map[string]string{"version": "the case is now at a later version"}}
	}
	return nil
}

// apply writes u into c and describes what changed.
func (u CaseUpdate) apply(c *casefile.Case) casefile.EventDetail {
	var d casefile.EventDetail
	list := func(field string, old *[]string, new *[]string) {
		if new == nil || slices.Equal(*old, *new) {
			return
		}
		d.Fields = append(d.Fields, field)
		d.Changes = append(d.Changes, casefile.Change{Field: field, From: *old, To: orEmpty(*new)})
		*old = orEmpty(*new)
	}
	if u.Person != nil {
		p := normalPerson(*u.Person)
		if u.KeepContacts {
			p.Contacts = c.Person.Contacts
		}
		d.Fields = append(d.Fields, identityChanges(c.Person.Identity, p.Identity)...)
		c.Person.Identity = p.Identity
		list("person.citizenships", &c.Person.Citizenships, &p.Citizenships)
		list("person.languages", &c.Person.Languages, &p.Languages)
	}
	list("destinations", &c.Destinations, u.Destinations)
	list("assignees", &c.Assignees, u.Assignees)
	return d
}

// identityChanges names the identity fields that differ, without values.
func identityChanges(old, new casefile.Identity) []string {
	var fields []string
	if old.NameLatin != new.NameLatin {
		fields = append(fields, "person.name_latin")
	}
	if old.NameCyrillic != new.NameCyrillic {
		fields = append(fields, "person.name_cyrillic")
	}
	if !reflect.DeepEqual(old.BirthDate, new.BirthDate) {
		fields = append(fields, "person.birth_date")
	}
	if !slices.Equal(old.Contacts, new.Contacts) {
		fields = append(fields, "person.contacts")
	}
	return fields
}
