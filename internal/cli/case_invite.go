package cli

import (
	"time"

	"github.com/spf13/cobra"
)

func (e *env) caseInviteCommand() *cobra.Command {
	var lang string
	var days int
	cmd := &cobra.Command{
		Use:   "invite REF",
		Short: "Make an invitation link for the case's client",
		Long: `Make an expiring invitation link for the case's client. Through it the
client answers intake questions and uploads documents for this case and sees
nothing else. Send it over a channel the client trusts (Signal, say).`,
		Args: args(1, 1),
		RunE: func(cmd *cobra.Command, a []string) error {
			in, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			inv, token, err := in.app.InviteClient(in.actorContext(cmd.Context()), a[0], lang, time.Duration(days)*24*time.Hour)
			if err != nil {
				return err
			}
			printf(e.stdout, "invitation #%d for %s, good until %s:\n%s\n", inv.ID, a[0], inv.ExpiresAt.Format("2006-01-02 15:04 MST"),
				in.app.Link("/invite/"+token))
			return nil
		},
	}
	cmd.Flags().StringVar(&lang, "language", "ru", "the client's language: ru, en or de")
	cmd.Flags().IntVar(&days, "days", 7, "days the link works (1 to 30)")
	return cmd
}

func (e *env) caseBreakGlassCommand() *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   "break-glass REF --reason TEXT",
		Short: "As an admin, open a case that is not yours for an hour, with a reason",
		Long: `As an admin, open a case whose team you are not on, for one hour. The
reason goes into the audit trail and onto the case's timeline, where its team
reads it: say why, not who the client is.`,
		Args: args(1, 1),
		RunE: func(cmd *cobra.Command, a []string) error {
			in, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			until, err := in.app.BreakGlass(in.actorContext(cmd.Context()), a[0], reason)
			if err != nil {
				return err
			}
			printf(e.stdout, "%s is open to you until %s; this is recorded\n", a[0], until.Format("15:04 MST"))
			return nil
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why you must open the case (20 to 1000 characters)")
	cmd.MarkFlagRequired("reason")
	return cmd
}
