//go:build !unix

package flock

import "os"

// Open opens the lock file at path; the link check of Unix has no
// equivalent here.
func Open(path string, perm os.FileMode) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE, perm)
}

// TryLock cannot lock here: the callers' other checks are all there is.
func TryLock(*os.File) (bool, error) { return true, nil }

// Lock takes no lock here.
func Lock(*os.File) error { return nil }

// StillAt cannot tell here.
func StillAt(*os.File, string) (bool, error) { return true, nil }
