// Package verifycmd is the evidence-bundle verifier as a command: the
// sanctuary-verify program and "sanctuary verify". It depends on nothing
// but package bundle, so sanctuary-verify stays small and needs no
// database and no key.
package verifycmd

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/sanctuary-platform/sanctuary/internal/bundle"
)

// Main verifies the bundle named in args and prints a verdict per item.
// It returns 0 when everything verified, 1 when something did not, 2 on a
// usage error.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sanctuary-verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	vkey := fs.String("vkey", "", "the custody log's public key, as the organisation published it")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: sanctuary-verify [-vkey KEY] [-json] BUNDLE\n\nVerify an evidence bundle (a directory or a .zip) offline.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	rep, err := bundle.VerifyPath(fs.Arg(0), bundle.Options{VKey: *vkey})
	if err != nil {
		fmt.Fprintf(stderr, "sanctuary-verify: error: %s\n", bundle.Clean(err.Error()))
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(rep)
	} else {
		write(stdout, rep)
	}
	if !rep.OK {
		return 1
	}
	return 0
}

func write(w io.Writer, rep *bundle.Report) {
	if rep.Origin != "" {
		fmt.Fprintf(w, "log %s, checkpoint of %d entries: signature verified\n", rep.Origin, rep.LogSize)
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(w, "BUNDLE PROBLEM: %s\n", p)
	}
	for _, it := range rep.Items {
		if it.OK {
			fmt.Fprintf(w, "%s VERIFIED: %s\n", it.Dir, it.Title)
			fmt.Fprintf(w, "    document sha256 %s\n", it.SHA256)
			for _, ev := range it.Events {
				fmt.Fprintf(w, "    %s  %-8s by %s (log entry %d)\n", ev.Time.Format("2006-01-02 15:04:05 UTC"), ev.Type, ev.Actor, ev.Index)
			}
			continue
		}
		fmt.Fprintf(w, "%s FAILED: %s\n", it.Dir, it.Title)
		for _, r := range it.Reasons {
			fmt.Fprintf(w, "    %s\n", r)
		}
	}
	if rep.OK {
		fmt.Fprintf(w, "RESULT: all %d items verified\n", len(rep.Items))
	} else {
		fmt.Fprintf(w, "RESULT: NOT VERIFIED (%s)\n", summary(rep))
	}
}

func summary(rep *bundle.Report) string {
	failed := 0
	for _, it := range rep.Items {
		if !it.OK {
			failed++
		}
	}
	var parts []string
	if len(rep.Problems) > 0 {
		parts = append(parts, fmt.Sprintf("%d problem(s) with the bundle", len(rep.Problems)))
	}
	parts = append(parts, fmt.Sprintf("%d of %d items failed", failed, len(rep.Items)))
	return strings.Join(parts, "; ")
}
