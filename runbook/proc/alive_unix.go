//go:build unix && !linux

package proc

import "syscall"

// Alive reports whether process pid exists; known is always true here.
func Alive(pid int) (live, known bool) {
	if pid <= 0 {
		return false, true
	}
	err := syscall.Kill(pid, 0)
	return err == nil || err == syscall.EPERM, true
}
