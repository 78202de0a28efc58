//go:build unix

package cli

import "syscall"

// privateFiles makes whatever the process creates readable by its owner
// only, including what libraries create with modes of their own: Tessera
// makes the custody log's tiles 0755 and 0644 as the log grows. Sanctuary
// keeps nothing that anyone else on the machine needs to read; what it
// hands out (exports, bundles) it writes 0600 anyway.
func privateFiles() { syscall.Umask(0o077) }
