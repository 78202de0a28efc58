// Package cli is the sanctuary command: serve, migrate, case, config and
// version. Main is its entry point; cmd/sanctuary only calls it, so every
// command can be run in tests with its own arguments, environment and
// output streams.
//
// Commands call the app layer, never the store, except to open and migrate
// the database.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sanctuary-platform/sanctuary"
)

// env is what every command runs with: its streams, its environment and
// the configuration read from flags and environment variables.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	flags  settings
}

// usageError marks an error in how the command was called.
type usageError struct{ error }

// exitError carries an exit code decided by a subcommand that already
// printed its own message.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit code %d", int(e)) }

// Main runs the sanctuary command with args (without the program name) and
// returns the process exit code.
func Main(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	privateFiles()
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	root := e.rootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return 0
	}
	if cmd == nil {
		cmd = root
	}
	return e.report(cmd, err)
}

func (e *env) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "sanctuary",
		Short: "Sanctuary: a secure case platform for people who refuse to fight",
		Long: `Sanctuary keeps the cases of people who refuse to fight (draft evaders,
deserters, conscientious objectors) and of those who help them find
protection: their story as typed facts, the status of their case, notes and
a timeline of every change.

Start the server with "sanctuary serve"; by default it keeps everything in
./sanctuary-data and listens on 127.0.0.1:8080. To look around first,
"sanctuary serve --demo" serves fictional cases from a temporary directory.`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	e.flags.register(root)
	root.AddCommand(e.serveCommand(), e.migrateCommand(), e.caseCommand(), e.assessCommand(), e.reassessCommand(),
		e.evidenceCommand(), e.verifyCommand(), e.fsckCommand(), e.rulesCommand(), e.userCommand(), e.tokenCommand(),
		e.auditCommand(), e.configCommand(), e.versionCommand())
	return root
}

// exitCode maps an error code to the process exit code. This is the only
// place that does.
func exitCode(code string) int {
	switch code {
	case sanctuary.EINVALID, sanctuary.ETOOLARGE, sanctuary.EUNSUPPORTED:
		return 2
	case sanctuary.ENOTFOUND:
		return 3
	case sanctuary.ECONFLICT:
		return 4
	case sanctuary.EUNAUTHORIZED, sanctuary.EFORBIDDEN:
		return 5
	}
	return 1
}

// report prints err as "sanctuary: error: ..." lines, with one line per
// field problem and hints where they help, and returns the exit code.
func (e *env) report(cmd *cobra.Command, err error) int {
	var ee exitError
	if errors.As(err, &ee) {
		return int(ee)
	}
	var ue usageError
	if errors.As(err, &ue) || isCobraUsage(err) {
		fmt.Fprintf(e.stderr, "sanctuary: error: %v\n", err)
		fmt.Fprintf(e.stderr, "sanctuary: hint: run %q for help\n", cmd.CommandPath()+" --help")
		return 2
	}
	se := sanctuary.AsError(err)
	msg := se.Message
	if se.Code == sanctuary.EINTERNAL && se.Err != nil {
		// A CLI user is the operator: the cause is theirs to see.
		msg = se.Err.Error()
	}
	fmt.Fprintf(e.stderr, "sanctuary: error: %s\n", msg)
	if se.Code == sanctuary.EUNAUTHORIZED && se.Message == "sign in first" {
		fmt.Fprintf(e.stderr, "sanctuary: hint: say which staff account is acting: --actor EMAIL or SANCTUARY_ACTOR=EMAIL\n")
	}
	for _, line := range strings.Split(se.FieldSummary(), "; ") {
		if line != "" {
			fmt.Fprintf(e.stderr, "sanctuary: error:   %s\n", line)
		}
	}
	if se.Err != nil && se.Code != sanctuary.EINTERNAL {
		// A CLI user is the operator: the cause is theirs to see.
		for _, line := range strings.Split(se.Err.Error(), "\n") {
			fmt.Fprintf(e.stderr, "sanctuary: error:   %s\n", line)
		}
	}
	return exitCode(se.Code)
}

// isCobraUsage recognises cobra's error for an unknown subcommand, the one
// usage error it makes without a hook to mark it.
func isCobraUsage(err error) bool {
	return strings.HasPrefix(err.Error(), "unknown command ")
}

// args checks the number of positional arguments: between min and max.
func args(min, max int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, a []string) error {
		switch {
		case len(a) < min:
			return usageError{fmt.Errorf("%s needs %d argument(s), got %d", cmd.CommandPath(), min, len(a))}
		case len(a) > max:
			return usageError{fmt.Errorf("%s takes at most %d argument(s), got %d", cmd.CommandPath(), max, len(a))}
		}
		return nil
	}
}
