package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/demo"
	"github.com/sanctuary-platform/sanctuary/internal/vault"
)

// checkDemo refuses --demo with a data directory or database given: the
// demo must never write into real data, nor look as if it showed it.
func checkDemo(cfg Config, from map[string]source) error {
	errs := map[string]string{}
	if from["data-dir"] != "default" {
		errs["data-dir"] = fmt.Sprintf("is given (%s); the demo keeps its data in a temporary directory of its own", from["data-dir"])
	}
	if cfg.DatabaseURL != "" {
		errs["database"] = fmt.Sprintf("is given (%s); the demo uses a temporary SQLite database of its own", from["database"])
	}
	if len(errs) > 0 {
		return sanctuary.Invalid("--demo never touches real data, so it does not take a data directory or database", errs)
	}
	return nil
}

// openDemo opens Sanctuary on a new temporary directory: its own SQLite
// database, vault and custody log, and throwaway keys made there (so no
// key is announced for backing up, and --actor and the key settings of a
// real installation are not used). Closing the instance removes the
// directory.
func (e *env) openDemo(ctx context.Context, cfg Config, from map[string]source) (*instance, error) {
	if err := checkDemo(cfg, from); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "sanctuary-demo-")
	if err != nil {
		return nil, unavailable("cannot make a temporary directory for the demo", err)
	}
	cfg.DataDir, cfg.Actor, cfg.VaultPassphrase = dir, "", ""
	cfg.VaultKeyFile, cfg.LogKeyFile = filepath.Join(dir, "vault.key"), filepath.Join(dir, "custody.key")
	in, err := e.openDemoKeys(ctx, cfg)
	if err != nil {
		return nil, errors.Join(err, os.RemoveAll(dir))
	}
	in.throwaway = dir
	return in, nil
}

func (e *env) openDemoKeys(ctx context.Context, cfg Config) (*instance, error) {
	if _, err := vault.CreateKeyFile(cfg.VaultKeyFile); err != nil {
		return nil, unavailable("cannot make the demo's vault key", err)
	}
	if _, err := custody.CreateKeyFile(cfg.LogKeyFile); err != nil {
		return nil, unavailable("cannot make the demo's custody log key", err)
	}
	return e.openConfig(ctx, cfg, true)
}

// seedDemo fills the demo's database.
func seedDemo(ctx context.Context, in *instance) (*demo.Login, error) {
	l, err := demo.Seed(ctx, in.app)
	if err != nil {
		return nil, &sanctuary.Error{Code: sanctuary.EINTERNAL, Message: "the demo cases could not be made", Err: err}
	}
	return &l, nil
}

// printDemo tells the newcomer what the demo is and how to get in.
func printDemo(w io.Writer, dir string, l demo.Login) {
	printf(w, "\nDEMO: fictional cases in a throwaway directory, deleted when the server stops:\n  %s\n", dir)
	printf(w, "Everyone in them is made up. No data directory or database of yours was opened.\n\n")
	printf(w, "Sign in at %s as the demo lawyer:\n", l.URL)
	printf(w, "  email          %s\n", l.Email)
	printf(w, "  password       %s\n", l.Password)
	printf(w, "  TOTP secret    %s   (type it into an authenticator app for the codes)\n", l.TOTPSecret)
	printf(w, "  recovery code  %s   (one-time: instead of a code, for one sign-in only)\n", l.RecoveryCode)
	printf(w, "Cases:\n")
	for _, c := range l.Cases {
		printf(w, "  %s  %s\n", c.Reference, c.Label)
	}
	printf(w, "The client's view of %s, in Russian (open it in a private window):\n  %s\n", l.Cases[0].Reference, l.Invitation)
	printf(w, "Stop with Ctrl-C; the directory is then deleted.\n")
}
