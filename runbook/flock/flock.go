// Package flock holds a whole file with an exclusive advisory lock
// (flock(2)), for processes that must exclude each other: the driver of a
// session, the builder of a demo folder. The lock belongs to the open file,
// so two holds within one process exclude each other too, and the system
// drops it with the process, however the process ends.
package flock

import (
	"errors"
	"os"
	"strings"
)

// ErrSymlink is Open's refusal of a symbolic link at the lock's path: a
// link planted there must never make runway write elsewhere.
var ErrSymlink = errors.New("a symbolic link")

// Stamp replaces what the held file f says with text (who holds it, for a
// refused contender to read).
func Stamp(f *os.File, text string) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err := f.WriteAt([]byte(text), 0)
	return err
}

// ReadStamp is what the holder of f stamped, trimmed; "" before it did.
func ReadStamp(f *os.File) string {
	b := make([]byte, 512)
	n, _ := f.ReadAt(b, 0)
	return strings.TrimSpace(string(b[:n]))
}
