//go:build !unix

package cli

// privateFiles has nothing to do where there is no umask.
func privateFiles() {}
