package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

type caseNewFlags struct {
	family, given, patronymic          string
	familyCyr, givenCyr, patronymicCyr string
	birthDate                          string
	citizenships, languages            []string
	destinations, assignees, contacts  []string
	fromJSON                           string
}

func (e *env) caseNewCommand() *cobra.Command {
	var f caseNewFlags
	cmd := &cobra.Command{
		Use:   "new",
		Short: "Open a case",
		Example: `  sanctuary case new --family Morozov --given Kirill --family-cyr Морозов --given-cyr Кирилл \
    --citizenship RU --language ru --destination DE --assignee "Lena W." --contact signal:+49...
  sanctuary case new --json case.json   # the body of POST /api/v1/cases`,
		Args: args(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			n, err := f.newCase(e)
			if err != nil {
				return err
			}
			in, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			c, err := in.app.CreateCase(in.actorContext(cmd.Context()), n)
			if err != nil {
				return err
			}
			printf(e.stdout, "%s\n", c.Reference)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.family, "family", "", "family name, Latin script")
	fl.StringVar(&f.given, "given", "", "given name(s), Latin script")
	fl.StringVar(&f.patronymic, "patronymic", "", "patronymic, Latin script")
	fl.StringVar(&f.familyCyr, "family-cyr", "", "family name, Cyrillic script")
	fl.StringVar(&f.givenCyr, "given-cyr", "", "given name(s), Cyrillic script")
	fl.StringVar(&f.patronymicCyr, "patronymic-cyr", "", "patronymic, Cyrillic script")
	fl.StringVar(&f.birthDate, "birth-date", "", "birth date, YYYY-MM-DD")
	fl.StringSliceVar(&f.citizenships, "citizenship", nil, "citizenship, ISO 3166-1 code (repeatable)")
	fl.StringSliceVar(&f.languages, "language", nil, "language, ISO 639-1 code, preferred first (repeatable)")
	fl.StringSliceVar(&f.destinations, "destination", nil, "destination country, ISO 3166-1 code (repeatable)")
	fl.StringArrayVar(&f.assignees, "assignee", nil, "staff member working on the case (repeatable)")
	fl.StringArrayVar(&f.contacts, "contact", nil, "contact as channel:value, e.g. signal:+49... (repeatable)")
	fl.StringVar(&f.fromJSON, "json", "", "read the case from a JSON file (- for stdin) instead of flags")
	return cmd
}

func (f caseNewFlags) newCase(e *env) (app.NewCase, error) {
	if f.fromJSON != "" {
		return readNewCase(e, f.fromJSON)
	}
	n := app.NewCase{
		Person: casefile.Person{
			Identity: casefile.Identity{
				NameLatin:    casefile.Name{Family: f.family, Given: f.given, Patronymic: f.patronymic},
				NameCyrillic: casefile.Name{Family: f.familyCyr, Given: f.givenCyr, Patronymic: f.patronymicCyr},
			},
			Citizenships: splitAll(f.citizenships),
			Languages:    splitAll(f.languages),
		},
		Destinations: splitAll(f.destinations),
		Assignees:    f.assignees,
	}
	errs := map[string]string{}
	if f.birthDate != "" {
		d, err := casefile.ParseDate(f.birthDate)
		if err != nil {
			errs["birth-date"] = err.Error()
		}
		n.Person.BirthDate = &d
	}
	for i, c := range f.contacts {
		ch, val, ok := strings.Cut(c, ":")
		if !ok {
			errs[fmt.Sprintf("contact[%d]", i)] = "must be channel:value, e.g. signal:+49..."
		}
		n.Person.Contacts = append(n.Person.Contacts, casefile.Contact{Channel: ch, Value: val})
	}
	if len(errs) > 0 {
		return n, sanctuary.Invalid("the case cannot be opened", errs)
	}
	return n, nil
}

// readNewCase reads the body of POST /api/v1/cases from a file.
func readNewCase(e *env, path string) (app.NewCase, error) {
	var body struct {
		Person       casefile.Person `json:"person"`
		Destinations []string        `json:"destinations"`
		Assignees    []string        `json:"assignees"`
	}
	r := e.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return app.NewCase{}, sanctuary.Errorf(sanctuary.EINVALID, "cannot read %s: %v", path, err)
		}
		defer f.Close()
		r = f
	}
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		return app.NewCase{}, sanctuary.Errorf(sanctuary.EINVALID, "%s is not a case in JSON: %v", path, err)
	}
	return app.NewCase(body), nil
}
