// Command sanctuary is the Sanctuary server and command-line tool. All of it
// lives in internal/cli; see "sanctuary --help".
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/sanctuary-platform/sanctuary/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
