//go:build linux

package engine

import (
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// On Linux the kernel itself is told the keepalive timings and to give up
// on writes the peer never acknowledges.
func TestDialerSocketOptions(t *testing.T) {
	raw, err := dialedConn(t).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	opts := map[string]int{"TCP_USER_TIMEOUT": unix.TCP_USER_TIMEOUT, "TCP_KEEPIDLE": unix.TCP_KEEPIDLE,
		"TCP_KEEPINTVL": unix.TCP_KEEPINTVL, "TCP_KEEPCNT": unix.TCP_KEEPCNT}
	err = raw.Control(func(fd uintptr) {
		for name, opt := range opts {
			got[name], _ = unix.GetsockoptInt(int(fd), unix.IPPROTO_TCP, opt)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"TCP_USER_TIMEOUT": int(tcpUserTimeout / time.Millisecond), "TCP_KEEPIDLE": int(keepAliveIdle / time.Second),
		"TCP_KEEPINTVL": int(keepAliveInterval / time.Second), "TCP_KEEPCNT": keepAliveCount}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s = %d, want %d", name, got[name], w)
		}
	}
}
