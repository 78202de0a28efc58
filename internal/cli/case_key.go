package cli

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
)

func (e *env) caseShredCommand() *cobra.Command {
	var confirm string
	cmd := &cobra.Command{
		Use:   "shred REF --confirm REF",
		Short: "Destroy a case's keys: the server can no longer open its evidence or client data",
		Long: `Destroy the case's keys (crypto-shredding). Afterwards nothing the server
holds can decrypt the case's evidence objects or its client data; the
custody log records the shred and still verifies. Two things survive it:
a case key exported before (sanctuary case export-key) still opens the
objects, and so does a database backup taken before the shred (it holds
the wrapped keys). This cannot be undone: type the reference twice.`,
		Args: args(1, 1),
		RunE: func(cmd *cobra.Command, a []string) error {
			if confirm != a[0] {
				return sanctuary.Invalid("the case key was not destroyed", map[string]string{"confirm": "give the case's reference again with --confirm to destroy its key"})
			}
			in, err := e.openVault(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			if err := in.app.ShredCase(in.actorContext(cmd.Context()), a[0]); err != nil {
				return err
			}
			printf(e.stdout, "the key of %s is destroyed; its evidence can no longer be opened\n", a[0])
			return nil
		},
	}
	cmd.Flags().StringVar(&confirm, "confirm", "", "the case's reference, again")
	return cmd
}

func (e *env) caseExportKeyCommand() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "export-key REF --out FILE",
		Short: "Write the case's key so that the age command can decrypt its objects",
		Long: `Write the case's age identity to a file (mode 0600). With it, the age
command (version 1.3 or later, which reads post-quantum keys) decrypts the
case's objects in the vault:  age -d -i FILE OBJECT.age  . The export is
recorded in the custody log and on the case's timeline.`,
		Args: args(1, 1),
		RunE: func(cmd *cobra.Command, a []string) error {
			if out == "" {
				return sanctuary.Invalid("the key needs a place to go", map[string]string{"out": "is required"})
			}
			in, err := e.openVault(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			key, err := in.app.ExportCaseKey(in.actorContext(cmd.Context()), a[0])
			if err != nil {
				return err
			}
			if err := writeFileAtomic(out, func(f *os.File) error { _, err := f.Write(key); return err }); err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "sanctuary: wrote the key of %s to %s; whoever holds it can read the case's evidence\n", a[0], out)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "the file to write")
	return cmd
}

func (e *env) fsckCommand() *cobra.Command {
	var deep bool
	var grace time.Duration
	cmd := &cobra.Command{
		Use:   "fsck",
		Short: "Check the evidence vault and the custody log; clean up interrupted ingests",
		Args:  args(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			in, err := e.openVault(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			rep, err := in.app.Fsck(operatorContext(cmd.Context()), grace, deep)
			if err != nil {
				return err
			}
			printf(e.stdout, "vault: %d objects, %d items; log: %d entries, %d recorded events checked\n",
				rep.Objects, rep.Items, rep.LogSize, rep.EventsChecked)
			printf(e.stdout, "cleaned: %d interrupted ingests completed, %d undone, %d orphan objects and %d temporary files removed\n",
				rep.Recovered.Completed, rep.Recovered.Removed, rep.OrphansRemoved, rep.TempRemoved)
			if rep.Recovered.CaseEvents > 0 {
				printf(e.stdout, "logged: %d case events (shreds) that a crash had kept from the custody log\n", rep.Recovered.CaseEvents)
			}
			if deep {
				printf(e.stdout, "deep: %d objects decrypted and matched to their commitments, %d not openable (case key destroyed)\n",
					rep.Decrypted, rep.Unopenable)
			}
			if rep.UnrecordedEvents > 0 {
				printf(e.stdout, "note: %d log entries are not recorded in the database (an interrupted access or export)\n", rep.UnrecordedEvents)
			}
			for _, p := range rep.Problems {
				printf(e.stdout, "PROBLEM: %s\n", p)
			}
			if len(rep.Problems) > 0 {
				return sanctuary.Errorf(sanctuary.ECONFLICT, "fsck found %d problem(s)", len(rep.Problems))
			}
			printf(e.stdout, "ok\n")
			return nil
		},
	}
	cmd.Flags().BoolVar(&deep, "deep", false, "also decrypt every object and check it against its commitment")
	cmd.Flags().DurationVar(&grace, "grace", app.OrphanGrace,
		"leave interrupted ingests, unreferenced objects and temporary files younger than this (an ingest may be under way in another process)")
	return cmd
}
