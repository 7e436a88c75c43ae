package engine

import (
	"context"
	"net"
	"time"
)

// A half-open link (a dead SSH tunnel, NAT state dropped, an unreachable
// old primary after failover) would leave a connection waiting forever.
// Keepalive probes find a silent peer within about half a minute while the
// link is idle; tcpUserTimeout (Linux) aborts a write the peer never
// acknowledges. Both turn a hang into an error the retry policy handles.
const (
	keepAliveIdle     = 15 * time.Second
	keepAliveInterval = 5 * time.Second
	keepAliveCount    = 3
	tcpUserTimeout    = 45 * time.Second
)

// newDialer is the dialer for every database connection runway opens.
// timeout bounds the connect (0: the context alone bounds it).
func newDialer(timeout time.Duration) *net.Dialer {
	return &net.Dialer{
		Timeout: timeout,
		KeepAliveConfig: net.KeepAliveConfig{
			Enable:   true,
			Idle:     keepAliveIdle,
			Interval: keepAliveInterval,
			Count:    keepAliveCount,
		},
		Control: setUserTimeout,
	}
}

// dialDB dials one database connection with newDialer's settings.
func dialDB(timeout time.Duration) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return newDialer(timeout).DialContext
}
