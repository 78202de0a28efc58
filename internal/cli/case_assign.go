package cli

import (
	"errors"
	"strings"

	"github.com/spf13/cobra"
)

func (e *env) caseAssignCommand() *cobra.Command {
	var add string
	cmd := &cobra.Command{
		Use:   "assign REF --add EMAIL",
		Short: "Put a lawyer or caseworker on a case's team (the operator's repair)",
		Long: `Put a lawyer or caseworker on a case's team, from the server's shell. This
runs as the operator — no --actor, no member of the case needed — for a
case nobody can open any more: its team was emptied, or every member's
account was disabled. The account must be a lawyer's or caseworker's that
is not disabled. The change is in the audit trail and on the case's
timeline, where its team sees it. To change a team otherwise, its members
edit the case.`,
		Args: args(1, 1),
		RunE: func(cmd *cobra.Command, a []string) error {
			if strings.TrimSpace(add) == "" {
				return usageError{errors.New("say whom to put on the team: --add EMAIL")}
			}
			in, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			c, err := in.app.AssignCase(operatorContext(cmd.Context()), a[0], add)
			if err != nil {
				return err
			}
			printf(e.stdout, "%s: team is now %s\n", c.Reference, strings.Join(c.Assignees, ", "))
			return nil
		},
	}
	cmd.Flags().StringVar(&add, "add", "", "the email of the lawyer's or caseworker's account to put on the team (required)")
	return cmd
}
