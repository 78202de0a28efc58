package cli

import (
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
)

func (e *env) userCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Manage staff accounts (from the server's shell: no account needed)",
		Long: `Manage staff accounts. These commands run as the operator — whoever has
the server's shell and its vault key — so the first admin can be made
before any account exists. Every change is in the audit trail.`,
	}
	cmd.AddCommand(e.userAddCommand(), e.userListCommand(),
		e.userStatusCommand("disable", "Stop an account: no sign-in; its sessions and API tokens end now"),
		e.userStatusCommand("enable", "Let a disabled account sign in again"),
		e.userStatusCommand("reset", "Clear an account's password and second factors (a lost phone) and print a new setup link"),
		e.userRequirePasskeysCommand(), e.userPasskeyLinkCommand())
	return cmd
}

func (e *env) userAddCommand() *cobra.Command {
	var n app.NewUser
	var role string
	cmd := &cobra.Command{
		Use:   "add --role ROLE EMAIL",
		Short: "Make a staff account and print its one-time setup link",
		Long: `Make a staff account and print its one-time setup link (good for 72 hours),
where the person chooses a password and connects an authenticator app.
There is no default password. Send the link over a safe channel.

Roles: admin, lawyer, caseworker, knowledge_editor, auditor.`,
		Args: args(1, 1),
		RunE: func(cmd *cobra.Command, a []string) error {
			in, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			n.Email, n.Role = a[0], sanctuary.Role(role)
			u, token, err := in.app.AddUser(operatorContext(cmd.Context()), n)
			if err != nil {
				return err
			}
			printf(e.stdout, "account %s (%s) made; its one-time setup link, good for 72 hours:\n%s\n", u.Email, u.Role, in.app.Link("/setup/"+token))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&role, "role", "", "admin, lawyer, caseworker, knowledge_editor or auditor (required)")
	fl.StringVar(&n.Name, "name", "", "the person's name, as colleagues know it")
	fl.StringVar(&n.Language, "language", "en", "language of their pages: ru, en or de")
	cmd.MarkFlagRequired("role")
	return cmd
}

func (e *env) userListCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the staff accounts",
		Args:  args(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			in, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			users, err := in.app.Users(operatorContext(cmd.Context()))
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			printf(tw, "EMAIL\tROLE\tSTATUS\t2FA\tNAME\n")
			for _, u := range users {
				printf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Email, u.Role, u.Status, map[bool]string{true: "totp", false: "-"}[u.TOTPEnrolled], orDash(u.Name))
			}
			return tw.Flush()
		},
	}
}

func (e *env) userStatusCommand(verb, short string) *cobra.Command {
	return &cobra.Command{
		Use:   verb + " EMAIL",
		Short: short,
		Args:  args(1, 1),
		RunE: func(cmd *cobra.Command, a []string) error {
			in, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			ctx := operatorContext(cmd.Context())
			switch verb {
			case "disable":
				err = in.app.DisableUser(ctx, a[0])
			case "enable":
				err = in.app.EnableUser(ctx, a[0])
			default:
				var token string
				if token, err = in.app.ResetUser(ctx, a[0]); err == nil {
					printf(e.stdout, "new setup link for %s, good for 72 hours:\n%s\n", strings.ToLower(a[0]), in.app.Link("/setup/"+token))
					return nil
				}
			}
			if err == nil {
				printf(e.stdout, "%s: %sd\n", strings.ToLower(a[0]), strings.TrimSuffix(verb, "e"))
			}
			return err
		},
	}
}
