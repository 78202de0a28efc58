package cli

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

func (e *env) caseSetFactCommand() *cobra.Command {
	var (
		unknown bool
		src     string
	)
	cmd := &cobra.Command{
		Use:   "set-fact REF NAME [VALUE]",
		Short: "Record a fact: a value, or --unknown if the person does not know",
		Long: `Record a fact on a case. VALUE is read according to the fact's type:
true/false (also yes/no, да/нет, ja/nein), a whole number, a date as
YYYY-MM-DD, one of the fact's values, free text, or a comma-separated list.
With --unknown the fact was asked and the person does not know.`,
		Example: `  sanctuary case set-fact SN-2026-0001 has_summons yes --source statement
  sanctuary case set-fact SN-2026-0001 departure_date --unknown`,
		Args: args(2, 3),
		RunE: func(cmd *cobra.Command, a []string) error {
			in, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			fi, err := factInput(in.app.Vocabulary(), a, unknown, casefile.Source(src))
			if err != nil {
				return err
			}
			f, err := in.app.SetFact(in.actorContext(cmd.Context()), a[0], fi)
			if err != nil {
				return err
			}
			printf(e.stdout, "%s %s = %s\n", a[0], f.Name, describe(f))
			return nil
		},
	}
	cmd.Flags().BoolVar(&unknown, "unknown", false, "the person was asked and does not know")
	cmd.Flags().StringVar(&src, "source", string(casefile.SourceStatement), "statement, document or caseworker")
	return cmd
}

// factInput turns command-line words into the input of SetFact. The value
// is parsed by the fact's type; a fact the vocabulary does not know is
// passed on as text for the app to refuse.
func factInput(voc *casefile.Vocabulary, a []string, unknown bool, src casefile.Source) (casefile.FactInput, error) {
	fi := casefile.FactInput{Name: a[1], Source: src}
	switch {
	case unknown && len(a) == 3:
		return fi, sanctuary.Invalid("the fact cannot be recorded", map[string]string{"value": "give a value or --unknown, not both"})
	case unknown:
		fi.State = casefile.StateUnknown
		return fi, nil
	case len(a) < 3:
		return fi, sanctuary.Invalid("the fact cannot be recorded", map[string]string{"value": "give a value, or --unknown"})
	}
	raw, _ := json.Marshal(a[2]) // a string always marshals
	if def, ok := voc.Lookup(a[1]); ok {
		v, err := casefile.ParseValue(def, a[2])
		if err != nil {
			return fi, sanctuary.Invalid("the fact cannot be recorded", map[string]string{"value": err.Error()})
		}
		if raw, err = json.Marshal(v); err != nil {
			return fi, err
		}
	}
	fi.Value = raw
	return fi, nil
}

func (e *env) caseClearFactCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "clear-fact REF NAME",
		Short: "Make a fact not asked again (its history keeps the old answers)",
		Args:  args(2, 2),
		RunE: func(cmd *cobra.Command, a []string) error {
			in, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			return in.app.ClearFact(in.actorContext(cmd.Context()), a[0], a[1])
		},
	}
}

// describe renders a fact's state or value with its source.
func describe(f casefile.Fact) string {
	v := string(f.State)
	if f.Value != nil {
		v = f.Value.String()
	}
	return fmt.Sprintf("%s (%s)", v, f.Source)
}
