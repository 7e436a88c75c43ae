//go:build linux

package proc

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// Alive reports whether process pid exists and is not a zombie (a process
// that ended and was not yet reaped holds no files and writes no more).
// known is always true here.
func Alive(pid int) (live, known bool) {
	if pid <= 0 {
		return false, true
	}
	if err := syscall.Kill(pid, 0); err != nil && err != syscall.EPERM {
		return false, true
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true, true // it exists (kill said so) but cannot be read: count it alive
	}
	// The state follows the command name, which is in parentheses and may hold any character.
	if i := bytes.LastIndexByte(b, ')'); i >= 0 && i+2 < len(b) {
		return b[i+2] != 'Z' && b[i+2] != 'X', true
	}
	return true, true
}
