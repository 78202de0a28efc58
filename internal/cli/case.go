package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

func (e *env) caseCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "case",
		Short: "Open, list, show and change cases",
		Long: `Open, list, show and change cases, acting as the staff account given by
--actor EMAIL (SANCTUARY_ACTOR). Its permissions apply as on the web: a case
is open to its team only. Every change is recorded on the case's timeline,
and every access in the audit trail.`,
	}
	cmd.AddCommand(e.caseNewCommand(), e.caseListCommand(), e.caseShowCommand(),
		e.caseSetFactCommand(), e.caseClearFactCommand(), e.caseTransitionCommand(),
		e.caseNoteCommand(), e.caseExportCommand(), e.caseShredCommand(), e.caseExportKeyCommand(),
		e.caseInviteCommand(), e.caseBreakGlassCommand(), e.caseAssignCommand())
	return cmd
}

// writeJSONTo writes v as indented JSON.
func writeJSONTo(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// splitAll splits every comma-separated item of a repeatable flag.
func splitAll(items []string) []string {
	var out []string
	for _, it := range items {
		for _, p := range strings.Split(it, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// orDash renders an empty string as "-" in tables.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func printf(w io.Writer, format string, a ...any) { fmt.Fprintf(w, format, a...) }
