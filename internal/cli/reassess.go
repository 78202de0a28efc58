package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

func (e *env) reassessCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "reassess",
		Short: "Assess again every open case not yet assessed with the knowledge pack in use",
		Long: `Assess again, as of today, every open case whose latest assessment used
another knowledge pack (run it after the pack changes), and write on each
case's timeline which findings changed and why. Each case is saved as it is
done: stop it with Ctrl-C and run it again to go on; a second run finds
nothing to do.`,
		Args: args(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			in, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			bar := progressBar(e.stderr)
			rep, err := in.app.Reassess(operatorContext(cmd.Context()), bar)
			fmt.Fprintf(e.stdout, "reassessed %d of %d open cases with knowledge pack %s; %d with changed findings",
				rep.Reassessed, rep.Total, in.app.Pack().Version, rep.Changed)
			if len(rep.Failed) > 0 {
				fmt.Fprintf(e.stdout, "; failed: %s", strings.Join(rep.Failed, ", "))
			}
			fmt.Fprintln(e.stdout)
			return err
		},
	}
}

// progressBar draws "[#####.....] 5/10" on one line of w, redrawn in place.
func progressBar(w io.Writer) func(done, total int) {
	const width = 30
	return func(done, total int) {
		n := width * done / max(total, 1)
		fmt.Fprintf(w, "\r[%s%s] %d/%d", strings.Repeat("#", n), strings.Repeat(".", width-n), done, total)
		if done == total {
			fmt.Fprintln(w)
		}
	}
}
