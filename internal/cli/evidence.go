package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/bundle"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
)

func (e *env) evidenceCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "evidence",
		Short: "Add, list, fetch and export a case's evidence",
		Long: `Evidence is kept encrypted per case, and every ingest, view, download,
change of description and export is recorded in the custody log.`,
	}
	cmd.AddCommand(e.evidenceAddCommand(), e.evidenceListCommand(), e.evidenceGetCommand(),
		e.evidenceEditCommand(), e.evidenceDeriveCommand(), e.evidenceExportCommand())
	return cmd
}

// metaFlags are the description of an item on the command line.
type metaFlags struct {
	title, kind, docDate, from, obtained, lang string
	facts                                      []string
	translationOf                              int64
}

func (f *metaFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.title, "title", "", "what the document is (required)")
	fl.StringVar(&f.kind, "kind", "other", "summons, court_document, article, screenshot, video, web_capture, identity_document or other")
	fl.StringVar(&f.docDate, "document-date", "", "the date on the document, YYYY-MM-DD")
	fl.StringVar(&f.from, "obtained-from", "", "where it came from")
	fl.StringVar(&f.obtained, "obtained-at", "", "when it was obtained, YYYY-MM-DD")
	fl.StringVar(&f.lang, "language", "", "its language, ISO 639-1")
	fl.StringSliceVar(&f.facts, "fact", nil, "a fact of the case it supports (repeatable)")
	fl.Int64Var(&f.translationOf, "translation-of", 0, "the item this one translates")
}

func (f metaFlags) meta() (evidence.Meta, error) {
	m := evidence.Meta{Title: f.title, Kind: evidence.Kind(f.kind), ObtainedFrom: f.from, Language: f.lang,
		Facts: splitAll(f.facts), TranslationOf: f.translationOf}
	errs := map[string]string{}
	for _, d := range []struct {
		field, s string
		to       **casefile.Date
	}{{"document-date", f.docDate, &m.DocumentDate}, {"obtained-at", f.obtained, &m.ObtainedAt}} {
		v, err := app.ParseDateField(d.field, d.s)
		if err != nil {
			errs[d.field] = sanctuary.AsError(err).Fields[d.field]
		} else if d.s != "" {
			*d.to = &v
		}
	}
	if len(errs) > 0 {
		return m, sanctuary.Invalid("the evidence cannot be described", errs)
	}
	return m, nil
}

func (e *env) evidenceAddCommand() *cobra.Command {
	var f metaFlags
	var ref string
	cmd := &cobra.Command{
		Use:     "add --case REF --title TEXT [flags] FILE|-",
		Short:   "Add a document to a case's evidence (- reads stdin)",
		Example: `  sanctuary evidence add --case SN-2026-0001 --title "Summons of 7 Oct 2025" --kind summons --fact has_summons scan.jpg`,
		Args:    args(1, 1),
		RunE: func(cmd *cobra.Command, a []string) error {
			m, err := f.meta()
			if err != nil {
				return err
			}
			var r io.Reader = e.stdin
			if a[0] != "-" {
				file, err := os.Open(a[0])
				if err != nil {
					return sanctuary.Errorf(sanctuary.EINVALID, "cannot read %s: %v", a[0], err)
				}
				defer file.Close()
				r, m.OriginalName = file, filepath.Base(a[0])
			}
			in, err := e.openVault(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			it, err := in.app.AddEvidence(in.actorContext(cmd.Context()), ref, m, r)
			if err != nil {
				return err
			}
			printf(e.stdout, "evidence #%d added to %s: %d bytes, sha256 %s\n", it.ID, ref, it.Size, it.Secret.PlainSHA256)
			return nil
		},
	}
	cmd.Flags().StringVar(&ref, "case", "", "the case")
	f.register(cmd)
	return cmd
}

func (e *env) evidenceListCommand() *cobra.Command {
	var ref string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list --case REF",
		Short: "List a case's evidence",
		Args:  args(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			in, err := e.openVault(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			items, err := in.app.ListEvidence(in.actorContext(cmd.Context()), ref)
			if err != nil || asJSON {
				return errorOr(err, func() error { return writeJSONTo(e.stdout, items) })
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			printf(tw, "ID\tKIND\tTITLE\tSIZE\tFACTS\tADDED\n")
			for _, it := range items {
				title := it.Title
				if it.KeyDestroyed {
					title = "(case key destroyed)"
				}
				printf(tw, "%d\t%s\t%s\t%d\t%s\t%s %s\n", it.ID, it.Kind, title, it.Size, orDash(strings.Join(it.Facts, ",")),
					it.CreatedAt.Format("2006-01-02"), it.CreatedBy)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&ref, "case", "", "the case")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func errorOr(err error, f func() error) error {
	if err != nil {
		return err
	}
	return f()
}

func itemID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, sanctuary.Invalid("not an evidence id", map[string]string{"id": "must be a positive whole number"})
	}
	return id, nil
}

func (e *env) evidenceGetCommand() *cobra.Command {
	var ref, out string
	cmd := &cobra.Command{
		Use:   "get --case REF ID --out FILE",
		Short: "Write an item's document to a file (the download is logged)",
		Args:  args(1, 1),
		RunE: func(cmd *cobra.Command, a []string) error {
			id, err := itemID(a[0])
			if err != nil {
				return err
			}
			if out == "" {
				return sanctuary.Invalid("the document needs a place to go", map[string]string{"out": "is required"})
			}
			in, err := e.openVault(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			f, err := in.app.OpenEvidence(in.actorContext(cmd.Context()), ref, id, true)
			if err != nil {
				return err
			}
			defer f.Close()
			err = writeFileAtomic(out, func(w *os.File) error {
				_, err := io.Copy(w, io.NewSectionReader(f, 0, f.Size))
				return err
			})
			if err == nil {
				fmt.Fprintf(e.stderr, "sanctuary: wrote %s (%d bytes); it is the document in the clear\n", out, f.Size)
			}
			return err
		},
	}
	cmd.Flags().StringVar(&ref, "case", "", "the case")
	cmd.Flags().StringVarP(&out, "out", "o", "", "the file to write (mode 0600)")
	return cmd
}

func (e *env) evidenceEditCommand() *cobra.Command {
	var f metaFlags
	var ref string
	cmd := &cobra.Command{
		Use:   "edit --case REF ID --title TEXT [flags]",
		Short: "Replace an item's description (logged as an annotation)",
		Args:  args(1, 1),
		RunE: func(cmd *cobra.Command, a []string) error {
			id, err := itemID(a[0])
			if err != nil {
				return err
			}
			m, err := f.meta()
			if err != nil {
				return err
			}
			in, err := e.openVault(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			v, err := in.app.UpdateEvidence(in.actorContext(cmd.Context()), ref, id, m)
			if err == nil {
				printf(e.stdout, "evidence #%d: %s\n", v.ID, v.Title)
			}
			return err
		},
	}
	cmd.Flags().StringVar(&ref, "case", "", "the case")
	f.register(cmd)
	return cmd
}

func (e *env) evidenceExportCommand() *cobra.Command {
	var ref, out string
	var items []string
	cmd := &cobra.Command{
		Use:   "export --case REF [--items 1,2] --out DIR|FILE.zip",
		Short: "Write a verifiable evidence bundle for a court",
		Long: `Write the case's evidence (or the items named) as a bundle a court can
verify offline: the originals, their custody events with inclusion proofs
against one signed checkpoint, the log's public key, a manifest, and
VERIFY.txt. Check it with "sanctuary verify" or sanctuary-verify.`,
		Args: args(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			var ids []int64
			for _, s := range splitAll(items) {
				id, err := itemID(s)
				if err != nil {
					return err
				}
				ids = append(ids, id)
			}
			if out == "" {
				return sanctuary.Invalid("the bundle needs a place to go", map[string]string{"out": "is required"})
			}
			in, err := e.openVault(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			if err := e.exportBundle(cmd, in, ref, ids, out); err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "sanctuary: wrote the bundle %s; it holds the documents in the clear\n", out)
			return nil
		},
	}
	cmd.Flags().StringVar(&ref, "case", "", "the case")
	cmd.Flags().StringSliceVar(&items, "items", nil, "only these items")
	cmd.Flags().StringVarP(&out, "out", "o", "", "a new directory, or a file ending in .zip")
	return cmd
}

func (e *env) exportBundle(cmd *cobra.Command, in *instance, ref string, ids []int64, out string) error {
	ctx := in.actorContext(cmd.Context())
	if !strings.HasSuffix(strings.ToLower(out), ".zip") {
		w, err := bundle.NewDirWriter(out)
		if err != nil {
			return sanctuary.Errorf(sanctuary.EINVALID, "%v", err)
		}
		return in.app.ExportEvidence(ctx, ref, ids, w)
	}
	return writeFileAtomic(out, func(f *os.File) error { return in.app.ExportEvidence(ctx, ref, ids, bundle.NewZipWriter(f)) })
}

func (e *env) evidenceDeriveCommand() *cobra.Command {
	var ref string
	cmd := &cobra.Command{
		Use:   "strip --case REF ID",
		Short: "Make a working copy of a photo or scan without its metadata (GPS, camera, time)",
		Long: `Make a new item from a JPEG or PNG item, decoded and encoded again without
any metadata block (GPS position, camera, time, software). The original stays
untouched; the copy names it, and the original's custody history gets a
derive event.`,
		Args: args(1, 1),
		RunE: func(cmd *cobra.Command, a []string) error {
			id, err := itemID(a[0])
			if err != nil {
				return err
			}
			in, err := e.openVault(cmd.Context())
			if err != nil {
				return err
			}
			defer in.Close()
			v, err := in.app.DeriveStripped(in.actorContext(cmd.Context()), ref, id)
			if err == nil {
				printf(e.stdout, "evidence #%d: a copy of #%d without metadata (%d bytes)\n", v.ID, id, v.Size)
			}
			return err
		},
	}
	cmd.Flags().StringVar(&ref, "case", "", "the case")
	return cmd
}
