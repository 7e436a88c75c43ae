//go:build unix

package demo

import (
	"errors"
	"os"
	"syscall"
)

var errBusy = errors.New("held by another process")

// openLockFile opens the lock file without following a symbolic link, so
// a link planted in the folder never makes runway write elsewhere.
func openLockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0o644)
	if errors.Is(err, syscall.ELOOP) {
		return nil, errors.New("is a symbolic link; remove it")
	}
	return f, err
}

// tryLock takes an exclusive lock on f without waiting.
func tryLock(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return errBusy
	}
	return err
}
