package cli

import (
	"github.com/spf13/cobra"

	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

func (e *env) caseTransitionCommand() *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   "transition REF STATUS",
		Short: "Move a case to another status",
		Long: `Move a case along its workflow:
intake → assessment → evidence → filed → interview → decision → appeal → closed,
or to withdrawn. A move the workflow does not allow is refused, naming the
statuses that are allowed.`,
		Args: args(2, 2),
		RunE: func(cmd *cobra.Command, a []string) error {
			in, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			c, err := in.app.TransitionCase(in.actorContext(cmd.Context()), a[0],
				app.Transition{To: casefile.Status(a[1]), Reason: reason})
			if err != nil {
				return err
			}
			printf(e.stdout, "%s is now %s\n", c.Reference, c.Status)
			return nil
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why, for the timeline")
	return cmd
}
