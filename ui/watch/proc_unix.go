//go:build unix && !linux

package watch

import "syscall"

// writers cannot look for the driver without /proc.
func writers(string) ([]int, bool) { return nil, false }

// alive reports whether process pid exists; known is always true here.
func alive(pid int) (live, known bool) {
	if pid <= 0 {
		return false, true
	}
	err := syscall.Kill(pid, 0)
	return err == nil || err == syscall.EPERM, true
}
