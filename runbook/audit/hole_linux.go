package audit

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// holeAt reports whether the first n bytes of f are a hole: never written
// since the file was cut short, though it has grown past them again.
func holeAt(f *os.File, n int64) bool {
	off, err := unix.Seek(int(f.Fd()), 0, unix.SEEK_DATA)
	switch {
	case errors.Is(err, unix.ENXIO):
		return true // no data anywhere
	case err != nil:
		return false // the file system cannot say
	}
	return off >= n
}
