package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sanctuary-platform/sanctuary"
)

func (e *env) rulesCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "Check and test a knowledge pack",
		Long: `Check and test the knowledge pack in use: the default one built in, or the
directory given with --knowledge. The format is in docs/knowledge-pack.md.`,
	}
	cmd.AddCommand(e.rulesLintCommand(), e.rulesTestCommand())
	return cmd
}

func (e *env) rulesLintCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "lint",
		Short: "Check a knowledge pack; print every problem with its file and line",
		Args:  args(0, 0),
		RunE: func(*cobra.Command, []string) error {
			p, err := e.pack()
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "ok: %s %s (%s): %d sources, %d jurisdictions, %d facts, %d rules, %d tests; covers until %s\n",
				p.Name, p.Version, p.Hash[:12], len(p.Sources), len(p.Jurisdictions), len(p.Facts), len(p.Rules), len(p.Tests), p.CoversUntil)
			return nil
		},
	}
}

func (e *env) rulesTestCommand() *cobra.Command {
	var verbose bool
	cmd := &cobra.Command{
		Use:   "test",
		Short: "Run a knowledge pack's tests and check every rule on both sides of its dates",
		Args:  args(0, 0),
		RunE: func(*cobra.Command, []string) error {
			p, err := e.pack()
			if err != nil {
				return err
			}
			failed, total := 0, 0
			for _, r := range p.RunTests() {
				total++
				switch {
				case !r.Passed():
					failed++
					fmt.Fprintf(e.stdout, "FAIL %s (%s)\n", r.Name, r.Where)
					for _, f := range r.Failures {
						fmt.Fprintf(e.stdout, "     %s\n", f)
					}
				case verbose:
					fmt.Fprintf(e.stdout, "ok   %s\n", r.Name)
				}
			}
			fmt.Fprintf(e.stdout, "%d tests and %d boundary checks of %d rules: %d failed\n",
				len(p.Tests), len(p.Rules), len(p.Rules), failed)
			if failed > 0 {
				return &sanctuary.Error{Code: sanctuary.ECONFLICT,
					Message: fmt.Sprintf("%d of %d checks failed", failed, total)}
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "also list the checks that pass")
	return cmd
}
