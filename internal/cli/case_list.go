package cli

import (
	"bufio"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

func (e *env) caseListCommand() *cobra.Command {
	var (
		q        app.CaseQuery
		statuses []string
		all      bool
		asJSON   bool
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List cases, newest first",
		Args:  args(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			for _, s := range splitAll(statuses) {
				q.Statuses = append(q.Statuses, casefile.Status(s))
			}
			if q.Name == "-" {
				if q.Name, err = e.readLine(); err != nil {
					return err
				}
				if q.Name == "" {
					return sanctuary.Errorf(sanctuary.EINVALID, "--name -: stdin held no name")
				}
			}
			in, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			var cases []casefile.Case
			for {
				page, err := in.app.ListCases(in.actorContext(cmd.Context()), q)
				if err != nil {
					return err
				}
				cases = append(cases, page.Cases...)
				if !all || page.NextCursor == "" {
					break
				}
				q.Cursor = page.NextCursor
			}
			if asJSON {
				return writeJSONTo(e.stdout, cases)
			}
			e.printCases(cases)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&statuses, "status", nil, "only cases in these statuses (repeatable)")
	fl.StringVar(&q.Destination, "destination", "", "only cases with this destination country")
	fl.StringVar(&q.Assignee, "assignee", "", "only cases assigned to this person")
	fl.StringVar(&q.Name, "name", "", "only the cases of the person with this exact name, \"Family Given [Patronymic]\" in either script\n(- reads it from stdin, keeping it out of the shell history)")
	fl.IntVar(&q.Limit, "limit", app.DefaultPageSize, "how many cases (per page with --all)")
	fl.BoolVar(&all, "all", false, "list every matching case, page after page")
	fl.BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (e *env) printCases(cases []casefile.Case) {
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	printf(tw, "REFERENCE\tSTATUS\tNAME\tDESTINATIONS\tASSIGNEES\tUPDATED\n")
	for _, c := range cases {
		printf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", c.Reference, c.Status, orDash(c.Person.DisplayName()),
			orDash(strings.Join(c.Destinations, ",")), orDash(strings.Join(c.Assignees, ", ")),
			c.UpdatedAt.Format("2006-01-02 15:04"))
	}
	tw.Flush()
}

// readLine reads one line from stdin, for a value that should not appear
// on the command line.
func (e *env) readLine() (string, error) {
	line, err := bufio.NewReader(io.LimitReader(e.stdin, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", sanctuary.Errorf(sanctuary.EINVALID, "cannot read from stdin: %v", err)
	}
	return strings.TrimSpace(line), nil
}
