package cli

import (
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
)

func (e *env) userRequirePasskeysCommand() *cobra.Command {
	var off bool
	cmd := &cobra.Command{
		Use:   "require-passkeys [ROLE] [--off]",
		Short: "Require a passkey to sign in for a role (or, with --off, allow codes again); no ROLE: show the rule",
		Long: `Require the accounts of a role to sign in with a passkey: a TOTP code or a
recovery code, which a phishing site can relay, no longer completes their
sign-in. --off lets them sign in with codes again. Without ROLE, show which
roles must use a passkey. Either way, list the accounts that must and have
none yet: give each a passkey link (sanctuary user passkey-link EMAIL).

Passkeys cannot be required of admins while no active admin has one. The
change is in the audit trail. Admins can change the rule on the web too
(Sign-in rules, /admin/sign-in).

Roles: admin, lawyer, caseworker, knowledge_editor, auditor.`,
		Args: args(0, 1),
		RunE: func(cmd *cobra.Command, a []string) error {
			in, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			ctx := operatorContext(cmd.Context())
			var pol app.PasskeyPolicy
			if len(a) == 0 {
				pol, err = in.app.PasskeyPolicy(ctx)
			} else {
				pol, err = in.app.RequirePasskeys(ctx, sanctuary.Role(a[0]), !off)
			}
			if err != nil {
				return err
			}
			printPasskeyPolicy(e.stdout, pol)
			return nil
		},
	}
	cmd.Flags().BoolVar(&off, "off", false, "stop requiring passkeys of the role: codes sign in again")
	return cmd
}

func printPasskeyPolicy(w io.Writer, pol app.PasskeyPolicy) {
	if len(pol.Required) == 0 {
		printf(w, "no role must sign in with a passkey\n")
		return
	}
	for _, r := range pol.Required {
		printf(w, "%s: passkey only\n", r)
	}
	if len(pol.Missing) == 0 {
		printf(w, "every account of these roles has a passkey\n")
		return
	}
	emails := make([]string, 0, len(pol.Missing))
	for _, u := range pol.Missing {
		emails = append(emails, u.Email)
	}
	printf(w, "without a passkey yet: %s\ngive each a link to register one: sanctuary user passkey-link EMAIL\n", strings.Join(emails, ", "))
}

func (e *env) userPasskeyLinkCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "passkey-link EMAIL",
		Short: "Print a one-time link with which the account's owner registers a passkey",
		Long: `Print a one-time link (good for 72 hours) with which the account's owner
registers a passkey: the way to a passkey for an account whose role must
sign in with one and has none, or lost it. The person opens the link, gives
their password, and can then do nothing but register a passkey; afterwards
they are signed in. An earlier unused link of the account stops working.
Send the link over a safe channel, as a setup link. A forgotten password
too? Use "sanctuary user reset" instead: its setup link leads on to a
passkey. The link is in the audit trail.`,
		Args: args(1, 1),
		RunE: func(cmd *cobra.Command, a []string) error {
			in, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			token, err := in.app.IssuePasskeyLink(operatorContext(cmd.Context()), a[0])
			if err != nil {
				return err
			}
			printf(e.stdout, "passkey link for %s, good for 72 hours (with the account's password):\n%s\n",
				strings.ToLower(a[0]), in.app.Link("/passkey/"+token))
			return nil
		},
	}
}
