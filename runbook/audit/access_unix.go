//go:build unix

package audit

import "syscall"

// cannotWrite reports whether the process may not write path (read-only
// file or file system, immutable file), without opening it: closing any
// descriptor of the log could drop SQLite's locks on it.
func cannotWrite(path string) bool {
	return syscall.Access(path, 2 /* W_OK */) != nil && exists(path)
}

// noFollow makes an open refuse a symbolic link at the last component.
const noFollow = syscall.O_NOFOLLOW
