package cli

import (
	"context"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/rules"
)

type assessFlags struct {
	ref, factsFile           string
	asOf, knownAsOf, compare string
	jurisdictions            []string
	format, lang             string
	noSave                   bool
}

func (e *env) assessCommand() *cobra.Command {
	var f assessFlags
	cmd := &cobra.Command{
		Use:   "assess (--case REF | --facts FILE.yaml)",
		Short: "Assess a case, or facts from a file, against the knowledge pack as of a date",
		Long: `Assess a case's facts (or the facts in a file, in the form of a knowledge
pack test: "facts:" and "unknown:") against the knowledge pack: the law in
force on --as-of (default today), as known on --known-as-of (default the
same day). With --compare-with DATE it also shows what changed from that
date and why. An assessment of a case is kept with the case and recorded on
its timeline, unless --no-save.`,
		Example: `  sanctuary assess --case SN-2026-0001
  sanctuary assess --case SN-2026-0001 --as-of 2025-09-01 --compare-with 2023-06-01 --format markdown
  sanctuary assess --facts person.yaml --as-of 2024-06-01 --jurisdiction RU,DE --lang ru`,
		Args: args(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error { return e.assess(cmd.Context(), f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.ref, "case", "", "the case to assess")
	fl.StringVar(&f.factsFile, "facts", "", "a YAML file of facts to assess instead of a case (- for stdin)")
	fl.StringVar(&f.asOf, "as-of", "", "the date whose law applies, YYYY-MM-DD (default: today)")
	fl.StringVar(&f.knownAsOf, "known-as-of", "", "use what was known on this date (default: --as-of)")
	fl.StringVar(&f.compare, "compare-with", "", "also assess as of this date and show what changed")
	fl.StringSliceVar(&f.jurisdictions, "jurisdiction", nil, "only these jurisdictions, e.g. RU,DE (default: the case's own)")
	fl.StringVar(&f.format, "format", "text", "text, json or markdown")
	fl.StringVar(&f.lang, "lang", "en", "language of the findings: ru, en or de")
	fl.BoolVar(&f.noSave, "no-save", false, "do not keep the assessment with the case")
	return cmd
}

func (f assessFlags) check() (app.AssessRequest, casefile.Date, error) {
	errs := map[string]string{}
	if (f.ref == "") == (f.factsFile == "") {
		errs["case"] = "give either --case or --facts"
	}
	if f.format != "text" && f.format != "json" && f.format != "markdown" {
		errs["format"] = "must be text, json or markdown"
	}
	if f.lang != "ru" && f.lang != "en" && f.lang != "de" {
		errs["lang"] = "must be ru, en or de"
	}
	var req app.AssessRequest
	var compare casefile.Date
	for _, d := range []struct {
		field, s string
		to       *casefile.Date
	}{{"as-of", f.asOf, &req.AsOf}, {"known-as-of", f.knownAsOf, &req.KnownAsOf}, {"compare-with", f.compare, &compare}} {
		v, err := app.ParseDateField(d.field, d.s)
		if err != nil {
			errs[d.field] = sanctuary.AsError(err).Fields[d.field]
		}
		*d.to = v
	}
	req.Jurisdictions = splitAll(f.jurisdictions)
	if len(errs) > 0 {
		return req, compare, sanctuary.Invalid("the assessment cannot be made", errs)
	}
	return req, compare, nil
}

func (e *env) assess(ctx context.Context, f assessFlags) error {
	req, compare, err := f.check()
	if err != nil {
		return err
	}
	var res, base *rules.Assessment
	if f.factsFile != "" {
		res, base, err = e.assessFile(f.factsFile, req, compare)
	} else {
		res, base, err = e.assessCase(ctx, f, req, compare)
	}
	if err != nil {
		return err
	}
	return e.writeAssessment(f, res, base)
}

func (e *env) assessFile(path string, req app.AssessRequest, compare casefile.Date) (*rules.Assessment, *rules.Assessment, error) {
	pack, err := e.pack()
	if err != nil {
		return nil, nil, err
	}
	b, err := e.readInput(path)
	if err != nil {
		return nil, nil, err
	}
	facts, err := pack.ParseFacts(path, b)
	if err != nil {
		return nil, nil, &sanctuary.Error{Code: sanctuary.EINVALID, Message: "the facts file is not valid", Err: err}
	}
	if req.AsOf.IsZero() {
		req.AsOf = casefile.DateOf(time.Now().UTC())
	}
	q := rules.Query{AsOf: req.AsOf, KnownAsOf: req.KnownAsOf, Jurisdictions: req.Jurisdictions}
	res, err := pack.Assess(facts, q)
	if err != nil || compare.IsZero() {
		return res, nil, err
	}
	q.AsOf = compare
	base, err := pack.Assess(facts, q)
	return res, base, err
}

func (e *env) readInput(path string) ([]byte, error) {
	var r io.Reader = e.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, sanctuary.Errorf(sanctuary.EINVALID, "cannot read %s: %v", path, err)
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, rules.MaxFileSize+1))
	if err != nil {
		return nil, sanctuary.Errorf(sanctuary.EINVALID, "cannot read %s: %v", path, err)
	}
	return b, nil
}

func (e *env) assessCase(ctx context.Context, f assessFlags, req app.AssessRequest, compare casefile.Date) (*rules.Assessment, *rules.Assessment, error) {
	in, err := e.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer in.Close()
	ctx = in.actorContext(ctx)
	var res *rules.Assessment
	if f.noSave {
		res, err = in.app.PreviewAssessment(ctx, f.ref, req)
	} else {
		var st app.StoredAssessment
		st, err = in.app.AssessCase(ctx, f.ref, req)
		res = st.Assessment
	}
	if err != nil || compare.IsZero() {
		return res, nil, err
	}
	req.AsOf = compare
	base, err := in.app.PreviewAssessment(ctx, f.ref, req)
	return res, base, err
}

func (e *env) writeAssessment(f assessFlags, res, base *rules.Assessment) error {
	switch f.format {
	case "json":
		out := map[string]any{"assessment": res}
		if base != nil {
			out["difference"] = rules.Diff(base, res)
		}
		return writeJSONTo(e.stdout, out)
	case "markdown":
		rules.WriteMarkdown(e.stdout, res, f.lang)
	default:
		rules.WriteText(e.stdout, res, f.lang)
	}
	if base != nil {
		rules.WriteDiff(e.stdout, rules.Diff(base, res), f.lang)
	}
	return nil
}
