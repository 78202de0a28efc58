package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/bundle"
	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/ledger"
	"github.com/sanctuary-platform/sanctuary/internal/vault"
)

// openEvidence opens the vault and the custody log in the data directory,
// creating the log key on first start (and saying so) — unless the
// database already knows a custody log (known names it): then that log's
// key is missing here, and a new one would start a second log.
func (e *env) openEvidence(cfg Config, vk *vault.Key, known string) (*app.Evidence, error) {
	lk, err := e.logKey(cfg, known)
	if err != nil {
		return nil, err
	}
	st, err := vault.OpenStore(filepath.Join(cfg.DataDir, "vault"))
	if err != nil {
		return nil, unavailable("cannot open the evidence vault", err)
	}
	lg, err := ledger.Open(filepath.Join(cfg.DataDir, "custody"), lk)
	if err != nil {
		return nil, unavailable("cannot open the custody log", err)
	}
	ev := &app.Evidence{Store: st, Key: vk, Custody: lg}
	if at := e.getenv("SANCTUARY_TEST_KILL_AT"); at != "" {
		killAt(at, st, ev)
	}
	if at := e.getenv("SANCTUARY_TEST_PAUSE_AT"); at != "" {
		e.pauseAt(at, ev)
	}
	return ev, nil
}

// pauseAt makes an ingest stop at the named step, say so on stderr
// ("sanctuary: test: paused at STEP") and go on when a line (or the end)
// comes on stdin. The tests of several processes use it to hold an ingest
// under way while another process starts; nothing else sets
// SANCTUARY_TEST_PAUSE_AT.
func (e *env) pauseAt(step string, ev *app.Evidence) {
	ev.FaultHook = func(at string) error {
		if at == step {
			fmt.Fprintf(e.stderr, "sanctuary: test: paused at %s\n", step)
			bufio.NewReader(e.stdin).ReadString('\n')
		}
		return nil
	}
}

// killAt makes the process kill itself (SIGKILL, as kill -9) when an
// ingest reaches the named step. The crash tests use it to stop an ingest
// at each step for real; nothing else sets SANCTUARY_TEST_KILL_AT.
func killAt(step string, st *vault.Store, ev *app.Evidence) {
	hook := func(at string) error {
		if at == step {
			if p, err := os.FindProcess(os.Getpid()); err == nil {
				p.Kill()
			}
			select {} // the kill is on its way
		}
		return nil
	}
	st.SetFaultHook(hook)
	ev.FaultHook = hook
}

func unavailable(msg string, err error) error {
	return &sanctuary.Error{Code: sanctuary.EUNAVAILABLE, Message: msg, Err: err}
}

func (e *env) vaultKey(cfg Config) (*vault.Key, error) {
	if cfg.VaultPassphrase != "" {
		k, err := vault.PassphraseKey(cfg.VaultPassphrase)
		if err != nil {
			return nil, &sanctuary.Error{Code: sanctuary.EINVALID, Message: "the vault passphrase is not usable", Err: err}
		}
		return k, nil
	}
	path := cfg.vaultKeyPath()
	k, err := vault.LoadKeyFile(path)
	if errors.Is(err, fs.ErrNotExist) && cfg.VaultKeyFile == "" {
		if k, err = vault.CreateKeyFile(path); err == nil {
			announceKey(e.stderr, path, vault.Fingerprint(k.Recipient())[:16])
		}
	}
	if err != nil {
		return nil, unavailable("cannot read the vault key", err)
	}
	return k, nil
}

func (e *env) logKey(cfg Config, known string) (*custody.Key, error) {
	path := cfg.logKeyPath()
	k, err := custody.LoadKeyFile(path)
	if errors.Is(err, fs.ErrNotExist) && cfg.LogKeyFile == "" {
		if known != "" {
			return nil, sanctuary.Errorf(sanctuary.ECONFLICT,
				"this database's evidence is recorded in custody log %s, but the data directory %s has no custody log key: refusing to start a second log, nothing was changed. "+
					"Start with the data directory (SANCTUARY_DATA_DIR) or the log key (SANCTUARY_LOG_KEY_FILE) of the instance that keeps log %s (restore them from the backup if they were lost), or use another database",
				known, cfg.DataDir, known)
		}
		if k, err = custody.CreateKeyFile(path); err == nil {
			fmt.Fprintf(e.stderr, "sanctuary: created the custody log key %s; its public key, to give to courts and publish, is:\n  %s\n"+
				"  and its fingerprint (what \"sha256sum log.vkey\" prints for a bundle of this log):\n  %s\n", path, k.VKey, bundle.KeySHA256(k.VKey))
		}
	}
	if err != nil {
		return nil, unavailable("cannot read the custody log key", err)
	}
	return k, nil
}

// announceKey tells the operator, loudly, that a vault key was made and
// what depends on it.
func announceKey(w io.Writer, path, fingerprint string) {
	fmt.Fprintf(w, `
************************************************************************
  Sanctuary created a new VAULT KEY:  %s
  fingerprint of its public key: %s

  Every piece of evidence, and every client's data in the database, is
  encrypted with keys that only this file can open. BACK IT UP NOW, away
  from this computer: print it, or copy it to an encrypted USB stick kept
  somewhere safe. Without it no case can ever be read again; with it and
  a copy of the data, anyone can.

  Better still, keep it off this disk: move it, and start Sanctuary with
  SANCTUARY_VAULT_KEY_FILE=/path/to/vault.key
************************************************************************

`, path, fingerprint)
}
