package ledger

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// Tessera's POSIX storage creates its directories 0755 and its files 0644,
// less the process's umask. The log names no client, but its size and
// timing tell how busy an NGO is, and the rest of the data directory is
// for the owner only: so is the log. The sanctuary command sets a umask
// of 077 (internal/cli), which covers what Tessera creates as the log
// grows; Open makes the directory itself private and tightens what it
// finds or makes there.

// private makes dir, creating it if needed, readable by its owner only.
// A directory found open to others (made by an older Sanctuary, or under
// a loose umask) has its whole tree tightened, once.
func private(dir string) error {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		return os.Chmod(dir, 0o700) // whatever the umask
	case err != nil:
		return err
	case !fi.IsDir():
		return errors.New(dir + " is not a directory")
	case fi.Mode().Perm() != 0o700:
		if err := os.Chmod(dir, 0o700); err != nil {
			return err
		}
		return tighten(dir, true)
	}
	return nil
}

// tighten takes the group's and others' permissions off what is in dir:
// the whole tree when deep, otherwise dir's own files and Tessera's state
// directory, which is what opening a log creates.
func tighten(dir string, deep bool) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != dir && !deep && d.Name() != ".state" {
			return fs.SkipDir
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return nil // Tessera makes none; never follow one
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if perm := info.Mode().Perm(); perm&0o077 != 0 {
			return os.Chmod(p, perm&^0o077)
		}
		return nil
	})
}
