package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func (e *env) migrateCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Bring the database schema up to date (serve does this too)",
		Args:  args(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			in, err := e.open(cmd.Context()) // open migrates
			if err != nil {
				return err
			}
			defer in.Close()
			for _, m := range in.migrated {
				fmt.Fprintf(e.stdout, "applied %s\n", m)
			}
			fmt.Fprintf(e.stdout, "the %s database %s is up to date\n", in.db.Dialect(), redact(in.cfg.Database()))
			return nil
		},
	}
}
