//go:build unix

package audit

import (
	"os"
	"syscall"
)

// cannotWrite reports whether the process may not write path (read-only
// file or file system, immutable file), without opening it: closing any
// descriptor of the log could drop SQLite's locks on it.
func cannotWrite(path string) bool {
	return syscall.Access(path, 2 /* W_OK */) != nil && exists(path)
}

// noFollow makes an open refuse a symbolic link at the last component.
const noFollow = syscall.O_NOFOLLOW

// linkCount is how many names (hard links) the file fi describes has.
func linkCount(fi os.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Nlink)
	}
	return 1
}
