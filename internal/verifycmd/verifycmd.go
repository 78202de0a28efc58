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

// Exit codes: a bundle is VERIFIED only against a log key the verifier
// was told to expect; without one, a consistent bundle gets Consistent.
const (
	Verified   = 0
	Failed     = 1
	Usage      = 2
	Consistent = 3
)

// Main verifies the bundle named in args and prints a verdict per item.
// It returns Verified, Failed, Usage or Consistent.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sanctuary-verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	vkey := fs.String("vkey", "", "the custody log's public key, as the organisation published it")
	keySHA := fs.String("key-sha256", "", "or the fingerprint of that key (64 hex digits), as the organisation published it")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: sanctuary-verify [-vkey KEY | -key-sha256 FINGERPRINT] [-json] BUNDLE\n\n"+
			"Verify an evidence bundle (a directory or a .zip) offline. Without the organisation's key or its\n"+
			"fingerprint, a bundle can be shown consistent but not VERIFIED. Exit status: 0 verified,\n"+
			"1 not verified, 2 usage error, 3 consistent but the key was not checked.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return Usage
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return Usage
	}
	rep, err := bundle.VerifyPath(fs.Arg(0), bundle.Options{VKey: *vkey, KeySHA256: *keySHA})
	if err != nil {
		fmt.Fprintf(stderr, "sanctuary-verify: error: %s\n", bundle.Clean(err.Error()))
		return Failed
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(rep)
	} else {
		write(stdout, rep)
	}
	switch {
	case rep.Verified:
		return Verified
	case rep.OK && rep.KeyProblem == "":
		return Consistent
	}
	return Failed
}

func write(w io.Writer, rep *bundle.Report) {
	writeKey(w, rep)
	for _, p := range rep.Problems {
		fmt.Fprintf(w, "BUNDLE PROBLEM: %s\n", p)
	}
	for _, it := range rep.Items {
		writeItem(w, rep, it)
	}
	if len(rep.CaseEvents) > 0 {
		fmt.Fprintf(w, "case events (they concern every item: whoever holds an exported case key can decrypt every document of the case):\n")
		for _, ev := range rep.CaseEvents {
			writeEvent(w, ev)
		}
	}
	writeResult(w, rep)
}

func writeKey(w io.Writer, rep *bundle.Report) {
	if rep.KeySHA256 == "" {
		return
	}
	fmt.Fprintf(w, "log key %s\n    fingerprint (SHA-256 of log.vkey): %s\n", rep.Origin, bundle.GroupHex(rep.KeySHA256))
	switch {
	case rep.KeyChecked:
		fmt.Fprintf(w, "    it is the key you gave\n")
	case rep.KeyProblem != "":
		fmt.Fprintf(w, "    NOT THE KEY YOU GAVE: %s\n", rep.KeyProblem)
	default:
		fmt.Fprintf(w, "    NOT CHECKED: compare this fingerprint with the one the organisation publishes\n")
	}
	if rep.LogSize > 0 {
		fmt.Fprintf(w, "checkpoint of %d entries, signed with this key\n", rep.LogSize)
	}
}

func writeItem(w io.Writer, rep *bundle.Report, it bundle.Verdict) {
	label := "FAILED"
	switch {
	case it.OK && rep.Verified:
		label = "VERIFIED"
	case it.OK && rep.KeyProblem != "":
		label = "NOT VERIFIED (another log's key)"
	case it.OK:
		label = "CONSISTENT (key not checked)"
	}
	fmt.Fprintf(w, "%s %s: %s\n", it.Dir, label, it.Title)
	if !it.OK {
		for _, r := range it.Reasons {
			fmt.Fprintf(w, "    %s\n", r)
		}
		return
	}
	for _, f := range [][2]string{{"kind", it.Kind}, {"document date", it.DocumentDate}, {"obtained from", it.ObtainedFrom},
		{"obtained on", it.ObtainedAt}, {"language", it.Language}, {"original file name", it.OriginalName},
		{"translation of", it.TranslationOf}, {"working copy of", it.DerivedFrom}} {
		if f[1] != "" {
			fmt.Fprintf(w, "    %s: %s\n", f[0], f[1])
		}
	}
	fmt.Fprintf(w, "    document: %d bytes, sha256 %s\n", it.Size, it.SHA256)
	for _, ev := range it.Events {
		writeEvent(w, ev)
	}
}

func writeEvent(w io.Writer, ev bundle.EventSummary) {
	fmt.Fprintf(w, "    %s  %-8s by %s (log entry %d)", ev.Time.Format("2006-01-02 15:04:05 UTC"), ev.Type, ev.Actor, ev.Index)
	if ev.Detail != "" {
		fmt.Fprintf(w, ": %s", ev.Detail)
	}
	fmt.Fprintln(w)
}

func writeResult(w io.Writer, rep *bundle.Report) {
	switch {
	case rep.Verified:
		fmt.Fprintf(w, "RESULT: VERIFIED: %s, against the log key you gave\n", items(len(rep.Items)))
	case rep.OK && rep.KeyProblem != "":
		fmt.Fprintf(w, "RESULT: NOT VERIFIED: %s\n", rep.KeyProblem)
	case rep.OK:
		fmt.Fprintf(w, "RESULT: CONSISTENT ONLY, NOT VERIFIED: %s and the log key the bundle itself carries agree.\n"+
			"    That proves only the bundle's internal consistency: anyone can make such a bundle under a key of their own.\n"+
			"    Compare the fingerprint above with the one the organisation publishes, or run again with -vkey KEY or -key-sha256 FINGERPRINT.\n",
			items(len(rep.Items)))
	default:
		fmt.Fprintf(w, "RESULT: NOT VERIFIED (%s)\n", summary(rep))
	}
}

func items(n int) string {
	if n == 1 {
		return "the 1 item"
	}
	return fmt.Sprintf("all %d items", n)
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
