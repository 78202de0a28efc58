package cli

import (
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
)

func (e *env) tokenCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Make, list and revoke API tokens of the --actor account",
	}
	cmd.AddCommand(e.tokenCreateCommand(), e.tokenListCommand(), e.tokenRevokeCommand())
	return cmd
}

func (e *env) tokenCreateCommand() *cobra.Command {
	var n app.NewAPIToken
	var scopes []string
	var days int
	cmd := &cobra.Command{
		Use:   "create --name NAME --scope SCOPE",
		Short: "Make an API token; it is printed once and kept only as a hash",
		Long:  "Make an API token for the --actor account, limited to the scopes. Scopes: " + strings.Join(app.Scopes(), ", ") + ".",
		Args:  args(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			in, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			n.Scopes, n.TTL = splitAll(scopes), time.Duration(days)*24*time.Hour
			t, token, err := in.app.CreateAPIToken(in.actorContext(cmd.Context()), n)
			if err != nil {
				return err
			}
			printf(e.stderr, "API token #%d %q (%s), good until %s; it is shown this once:\n", t.ID, t.Name,
				strings.Join(t.Scopes, " "), t.ExpiresAt.Format("2006-01-02"))
			printf(e.stdout, "%s\n", token)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&n.Name, "name", "", "what the token is for")
	fl.StringSliceVar(&scopes, "scope", nil, "a scope (repeatable)")
	fl.IntVar(&days, "days", 30, "days the token works (1 to 365)")
	return cmd
}

func (e *env) tokenListCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the --actor account's API tokens",
		Args:  args(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			in, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			ts, err := in.app.APITokens(in.actorContext(cmd.Context()))
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			printf(tw, "ID\tNAME\tSCOPES\tEXPIRES\tSTATE\n")
			for _, t := range ts {
				state := "live"
				if !t.RevokedAt.IsZero() {
					state = "revoked"
				}
				printf(tw, "%d\t%s\t%s\t%s\t%s\n", t.ID, t.Name, strings.Join(t.Scopes, " "), t.ExpiresAt.Format("2006-01-02"), state)
			}
			return tw.Flush()
		},
	}
}

func (e *env) tokenRevokeCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke one of the --actor account's API tokens",
		Args:  args(1, 1),
		RunE: func(cmd *cobra.Command, a []string) error {
			id, err := strconv.ParseInt(a[0], 10, 64)
			if err != nil {
				return sanctuary.Errorf(sanctuary.EINVALID, "the token ID is a number (see sanctuary token list)")
			}
			in, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			if err := in.app.RevokeAPIToken(in.actorContext(cmd.Context()), id); err != nil {
				return err
			}
			printf(e.stdout, "API token #%d revoked\n", id)
			return nil
		},
	}
}
