//go:build !unix

package session

import (
	"os"

	"runway/runbook/flock"
)

// openLock opens the lock file; the checks of Unix have no equivalent here
// (nor has flock: the pid check in liveDriver is all there is).
func openLock(path, _ string) (*os.File, error) { return flock.Open(path, 0o600) }
