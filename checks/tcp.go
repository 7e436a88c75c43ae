package checks

import (
	"context"
	"fmt"
	"net"

	"runway/runbook"
)

// tcpCheck checks that an address accepts connections.
type tcpCheck struct{ address string }

func newTCP(t *runbook.TCP) (runner, error) {
	if _, _, err := net.SplitHostPort(t.Address); err != nil {
		return nil, fmt.Errorf("address %q: want host:port", t.Address)
	}
	return &tcpCheck{address: t.Address}, nil
}

func (c *tcpCheck) run(ctx context.Context, _ Env) Result {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", c.address)
	if err != nil {
		if ctx.Err() != nil {
			return Result{} // the stop is the reason, not the network
		}
		return Result{Summary: fmt.Sprintf("cannot connect to %s: %v", c.address, dialReason(err))}
	}
	remote := conn.RemoteAddr().String()
	conn.Close()
	if remote == c.address {
		return Result{Passed: true, Summary: "connected to " + c.address}
	}
	return Result{Passed: true, Summary: fmt.Sprintf("connected to %s (%s)", c.address, remote)}
}

// dialReason drops the "dial tcp 10.0.0.1:5432:" prefix that repeats the address.
func dialReason(err error) error {
	if op, ok := err.(*net.OpError); ok && op.Err != nil {
		return op.Err
	}
	return err
}
