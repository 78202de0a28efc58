// Command campaign drives a real Sanctuary from outside — its command
// line, its HTTP API and its pages, never its Go packages — to find what a
// crash or a long load does to it:
//
//	go run ./scripts/campaign crash [flags]   SIGKILLs over ingest, custody, facts, shred and reassessment
//	go run ./scripts/campaign soak [flags]    many concurrent sessions against one server, errors and memory
//
// It only speaks the interfaces a user has, so that it keeps working while
// Sanctuary's internals change. What it does and how to read its results:
// docs/reliability.md. It is not run by CI: a full run takes an hour.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage: go run ./scripts/campaign crash|soak [flags]   (-h for the flags of each)
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch os.Args[1] {
	case "crash":
		err = crashMain(ctx, os.Args[2:])
	case "soak":
		err = soakMain(ctx, os.Args[2:])
	default:
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var fail failedError
	switch {
	case errors.Is(err, flag.ErrHelp):
	case errors.As(err, &fail):
		fmt.Fprintf(os.Stderr, "campaign: FAILED: %v\n", err)
		os.Exit(1)
	case err != nil:
		fmt.Fprintf(os.Stderr, "campaign: error: %v\n", err)
		os.Exit(2)
	}
}

// failedError is a run that worked but found failures; anything else is
// a run that could not be made (exit status 2).
type failedError struct{ n int }

func (e failedError) Error() string { return fmt.Sprintf("%d failure(s)", e.n) }
