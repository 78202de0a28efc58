package cli

import (
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

func (e *env) caseShowCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show REF",
		Short: "Show a case: person, facts, notes and timeline",
		Args:  args(1, 1),
		RunE: func(cmd *cobra.Command, a []string) error {
			in, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			cf, err := in.app.LoadCase(in.actorContext(cmd.Context()), a[0], 0)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSONTo(e.stdout, cf)
			}
			e.printCaseFile(cf)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (e *env) printCaseFile(cf app.CaseFile) {
	c, p := cf.Case, cf.Case.Person
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	printf(tw, "Case\t%s (%s, version %d)\n", c.Reference, c.Status, c.Version)
	if c.KeyDestroyed {
		printf(tw, "Client data\tDESTROYED: the case key was shredded; the person, facts, notes and event details can no longer be read\n")
	}
	printf(tw, "Name (Latin)\t%s\n", orDash(p.NameLatin.String()))
	printf(tw, "Name (Cyrillic)\t%s\n", orDash(p.NameCyrillic.String()))
	if p.BirthDate != nil {
		printf(tw, "Born\t%s\n", p.BirthDate)
	}
	printf(tw, "Citizenships\t%s\n", orDash(strings.Join(p.Citizenships, ", ")))
	printf(tw, "Languages\t%s\n", orDash(strings.Join(p.Languages, ", ")))
	for _, ct := range p.Contacts {
		printf(tw, "Contact\t%s: %s\n", ct.Channel, ct.Value)
	}
	printf(tw, "Destinations\t%s\n", orDash(strings.Join(c.Destinations, ", ")))
	printf(tw, "Assignees\t%s\n", orDash(strings.Join(c.Assignees, ", ")))
	printf(tw, "Opened\t%s by %s\n", c.CreatedAt.Format("2006-01-02 15:04"), c.CreatedBy)
	tw.Flush()
	e.printFacts(cf.Facts)
	printf(e.stdout, "\nNotes\n")
	for _, n := range cf.Notes {
		printf(e.stdout, "  #%d %s %s:\n    %s\n", n.ID, n.CreatedAt.Format("2006-01-02 15:04"), n.CreatedBy,
			strings.ReplaceAll(n.Body, "\n", "\n    "))
	}
	printf(e.stdout, "\nTimeline\n")
	for _, ev := range cf.Timeline {
		printf(e.stdout, "  %s  %-24s %s\n", ev.At.Format("2006-01-02 15:04:05"), ev.Actor, ev.Summary())
	}
}

func (e *env) printFacts(facts []casefile.Fact) {
	printf(e.stdout, "\nFacts\n")
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	for _, f := range facts {
		v := string(f.State)
		if f.Value != nil {
			v = f.Value.String()
		}
		printf(tw, "  %s\t%s\t%s\t%s %s\n", f.Name, v, f.Source, f.RecordedAt.Format("2006-01-02"), f.RecordedBy)
	}
	tw.Flush()
}
