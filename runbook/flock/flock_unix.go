//go:build unix

package flock

import (
	"errors"
	"os"
	"syscall"
)

// Open opens the lock file at path, creating it with perm, without
// following a symbolic link (ErrSymlink) and without waiting on a special
// file such as a FIFO. Nothing is written.
func Open(path string, perm os.FileMode) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, perm)
	if errors.Is(err, syscall.ELOOP) {
		return nil, ErrSymlink
	}
	return f, err
}

// TryLock takes an exclusive lock on f without waiting: false when
// another open file holds it.
func TryLock(f *os.File) (bool, error) {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, syscall.EWOULDBLOCK):
			return false, nil
		case errors.Is(err, syscall.EINTR):
			continue
		}
		return false, err
	}
}

// Lock takes an exclusive lock on f, waiting for whoever holds it.
func Lock(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}

// StillAt reports whether f is still the file at path: a lock taken on a
// file its holder removed meanwhile guards nothing.
func StillAt(f *os.File, path string) (bool, error) {
	a, err := f.Stat()
	if err != nil {
		return false, err
	}
	b, err := os.Lstat(path)
	if err != nil {
		return false, err
	}
	return os.SameFile(a, b), nil
}
