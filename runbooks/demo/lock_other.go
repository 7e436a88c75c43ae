//go:build !unix

package demo

import (
	"errors"
	"os"
)

var errBusy = errors.New("held by another process")

func openLockFile(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
}

// tryLock does not lock where flock is missing: one demo at a time is then
// the user's care.
func tryLock(*os.File) error { return nil }
