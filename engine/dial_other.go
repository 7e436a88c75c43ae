//go:build !linux

package engine

import "syscall"

// setUserTimeout does nothing where TCP_USER_TIMEOUT does not exist;
// keepalive alone finds a dead peer there.
func setUserTimeout(string, string, syscall.RawConn) error { return nil }
