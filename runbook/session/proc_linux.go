//go:build linux

package session

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// processAlive reports whether process pid exists and is not a zombie (a
// driver that ended but was not yet reaped writes no more).
func processAlive(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil && err != syscall.EPERM {
		return false
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true // it exists (kill said so) but cannot be read: count it alive
	}
	// The state follows the command name, which is in parentheses and may hold any character.
	if i := bytes.LastIndexByte(b, ')'); i >= 0 && i+2 < len(b) {
		return b[i+2] != 'Z' && b[i+2] != 'X'
	}
	return true
}
