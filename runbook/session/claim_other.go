//go:build !unix

package session

import "os"

// tryLock cannot lock here: the pid check in liveDriver is all there is.
func tryLock(*os.File) (bool, error) { return true, nil }

func samePath(*os.File, string) (bool, error) { return true, nil }

// openLock opens the lock file; the checks of Unix have no equivalent here.
func openLock(path, _ string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
}
