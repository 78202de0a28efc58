package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/sanctuary-platform/sanctuary"
)

func (e *env) caseExportCommand() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "export REF",
		Short: "Write the whole case as JSON (recorded on the case's timeline)",
		Long: `Write the whole case as one JSON document: record, facts with their
history, notes and timeline (format: docs/case-export.md). The export holds
client data in the clear: keep it on an encrypted disk and delete it when
done. The export is recorded on the case's timeline.`,
		Args: args(1, 1),
		RunE: func(cmd *cobra.Command, a []string) error {
			in, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			x, err := in.app.ExportCase(in.actorContext(cmd.Context()), a[0])
			if err != nil {
				return err
			}
			if out == "" {
				return writeJSONTo(e.stdout, x)
			}
			if err := writeFileAtomic(out, func(f *os.File) error { return writeJSONTo(f, x) }); err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "sanctuary: wrote %s; it holds client data unencrypted\n", out)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "write to this file (mode 0600) instead of stdout")
	return cmd
}

// writeFileAtomic writes a file readable only by its owner: to a temporary
// file beside it, synced, then renamed over the target, so that a reader
// never sees half of it.
func writeFileAtomic(path string, write func(*os.File) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), ".sanctuary-export-*")
	if err != nil {
		return sanctuary.Errorf(sanctuary.EINVALID, "cannot write %s: %v", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		return err
	}
	if err = write(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
