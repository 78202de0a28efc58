// Command sanctuary-verify checks a Sanctuary evidence bundle offline: no
// database, no key, no network. See internal/bundle and VERIFY.txt.
package main

import (
	"os"

	"github.com/sanctuary-platform/sanctuary/internal/verifycmd"
)

func main() { os.Exit(verifycmd.Main(os.Args[1:], os.Stdout, os.Stderr)) }
