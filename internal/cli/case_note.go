package cli

import (
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

func (e *env) caseNoteCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "note REF TEXT|-",
		Short: "Add a note to a case (- reads the text from stdin)",
		Args:  args(2, 2),
		RunE: func(cmd *cobra.Command, a []string) error {
			body := a[1]
			if body == "-" {
				b, err := io.ReadAll(io.LimitReader(e.stdin, casefile.MaxNoteLen+1))
				if err != nil {
					return sanctuary.Errorf(sanctuary.EINVALID, "cannot read the note from stdin: %v", err)
				}
				body = strings.TrimRight(string(b), "\r\n")
			}
			in, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			n, err := in.app.AddNote(in.actorContext(cmd.Context()), a[0], body)
			if err != nil {
				return err
			}
			printf(e.stdout, "note #%d added\n", n.ID)
			return nil
		},
	}
}
