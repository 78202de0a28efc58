package cli

import (
	"github.com/spf13/cobra"

	"github.com/sanctuary-platform/sanctuary/internal/verifycmd"
)

func (e *env) verifyCommand() *cobra.Command {
	return &cobra.Command{
		Use:                "verify [-vkey KEY] [-json] BUNDLE",
		Short:              "Verify an evidence bundle offline (the same as sanctuary-verify)",
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, a []string) error {
			if code := verifycmd.Main(a, e.stdout, e.stderr); code != 0 {
				return exitError(code)
			}
			return nil
		},
	}
}
