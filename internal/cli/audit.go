package cli

import (
	"encoding/json"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/audit"
)

func (e *env) auditCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Read, export and verify the audit trail",
		Long: `The audit trail records every access to client data — allowed or denied —
and every sign-in. Its entries form a hash chain whose head is anchored in
the custody log. "list" and "export" need --actor of an auditor's account;
"verify" and "anchor" run as the operator.`,
	}
	cmd.AddCommand(e.auditListCommand(), e.auditExportCommand(), e.auditVerifyCommand(), e.auditAnchorCommand())
	return cmd
}

type auditFlags struct {
	q        app.AuditQuery
	from, to string
}

func (f *auditFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.q.Actor, "actor-filter", "", "only entries of this actor (an email, client:invitation-N, operator)")
	fl.StringVar(&f.q.Case, "case", "", "only entries about this case reference")
	fl.StringVar(&f.q.Action, "action", "", `only this action, or a prefix ending in "." (auth.)`)
	fl.StringVar(&f.q.Outcome, "outcome", "", "allowed or denied")
	fl.StringVar(&f.from, "from", "", "only from this time on (2026-11-26T00:00:00Z)")
	fl.StringVar(&f.to, "to", "", "only before this time")
	fl.Int64Var(&f.q.After, "after", 0, "only entries after this sequence number")
}

func (f *auditFlags) query() (app.AuditQuery, error) {
	errs := map[string]string{}
	for name, pair := range map[string]struct {
		s   string
		dst *time.Time
	}{"from": {f.from, &f.q.From}, "to": {f.to, &f.q.To}} {
		if pair.s == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, pair.s)
		if err != nil {
			errs[name] = "must be a time such as 2026-11-26T00:00:00Z"
		}
		*pair.dst = t
	}
	if len(errs) > 0 {
		return f.q, sanctuary.Invalid("the audit filter is not valid", errs)
	}
	return f.q, nil
}

func (e *env) auditListCommand() *cobra.Command {
	var f auditFlags
	var limit int
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List entries of the audit trail, oldest first",
		Args:  args(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			q, err := f.query()
			if err != nil {
				return err
			}
			q.Limit = limit
			in, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			page, err := in.app.Audit(in.actorContext(cmd.Context()), q)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			printf(tw, "SEQ\tTIME (UTC)\tACTOR\tVIA\tACTION\tOUTCOME\tCASE\tOBJECT\tDETAIL\n")
			for _, x := range page.Entries {
				printf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", x.Seq, x.At.Format("2006-01-02 15:04:05"), x.Actor, x.Via,
					x.Action, x.Outcome, orDash(x.CaseRef), orDash(x.Object), orDash(x.Detail))
			}
			tw.Flush()
			if page.Next != 0 {
				printf(e.stderr, "more entries follow: --after %d\n", page.Next)
			}
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().IntVar(&limit, "limit", 100, "at most this many entries")
	return cmd
}

func (e *env) auditExportCommand() *cobra.Command {
	var f auditFlags
	var out string
	cmd := &cobra.Command{
		Use:   "export --out FILE",
		Short: "Write matching entries as JSON lines, with their hashes",
		Args:  args(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			q, err := f.query()
			if err != nil {
				return err
			}
			in, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			ctx := in.actorContext(cmd.Context())
			n := 0
			err = writeFileAtomic(out, func(file *os.File) error {
				enc := json.NewEncoder(file)
				q.Limit = app.MaxAuditPage
				for {
					page, err := in.app.Audit(ctx, q)
					if err != nil {
						return err
					}
					for _, x := range page.Entries {
						if err := enc.Encode(x); err != nil {
							return err
						}
						n++
					}
					if page.Next == 0 {
						return nil
					}
					q.After = page.Next
				}
			})
			if err == nil {
				printf(e.stdout, "%d entries written to %s\n", n, out)
			}
			return err
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&out, "out", "", "the file to write (required)")
	cmd.MarkFlagRequired("out")
	return cmd
}

func (e *env) auditVerifyCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "verify [EXPORT.jsonl]",
		Short: "Check the audit trail's hash chain and its anchors in the custody log, or an unfiltered export",
		Args:  args(0, 1),
		RunE: func(cmd *cobra.Command, a []string) error {
			if len(a) == 1 {
				return e.verifyAuditFile(a[0])
			}
			in, err := e.openVault(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			rep, err := in.app.VerifyAudit(operatorContext(cmd.Context()))
			if err != nil {
				return err
			}
			printf(e.stdout, "%d entries, head at %d, %d anchors; anchored in the custody log up to entry %d\n",
				rep.Entries, rep.Head, rep.Anchors, rep.Anchored)
			return e.auditVerdict(rep.Report)
		},
	}
}

// verifyAuditFile checks an export made without filters (from entry 1).
func (e *env) verifyAuditFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return sanctuary.Errorf(sanctuary.EINVALID, "cannot read %s: %v", path, err)
	}
	defer f.Close()
	es, err := audit.ParseExport(f)
	if err != nil {
		return sanctuary.Errorf(sanctuary.EINVALID, "%v", err)
	}
	if len(es) > 0 && es[0].Seq != 1 {
		return sanctuary.Errorf(sanctuary.EINVALID, "the export starts at entry %d: only an export of the whole trail (no filters) can be verified on its own", es[0].Seq)
	}
	rep := audit.Verify("", es, nil)
	printf(e.stdout, "%d entries\n", rep.Entries)
	return e.auditVerdict(rep)
}

func (e *env) auditVerdict(rep audit.Report) error {
	if rep.OK() {
		printf(e.stdout, "OK: the audit trail is intact\n")
		return nil
	}
	for _, p := range rep.Problems {
		printf(e.stdout, "PROBLEM: %s\n", p)
	}
	return sanctuary.Errorf(sanctuary.ECONFLICT, "the audit trail has %d problem(s): %s", len(rep.Problems), strings.Join(rep.Problems[:1], ""))
}

func (e *env) auditAnchorCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "anchor",
		Short: "Write the audit trail's head into the custody log now (serve does it every 5 minutes)",
		Args:  args(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			in, err := e.openVault(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			an, ok, err := in.app.AnchorAudit(operatorContext(cmd.Context()))
			switch {
			case err != nil:
				return err
			case !ok:
				printf(e.stdout, "nothing new since the last anchor\n")
			default:
				printf(e.stdout, "audit trail head (entry %d) anchored as custody log entry %d\n", an.Seq, an.LogIndex)
			}
			return nil
		},
	}
}
