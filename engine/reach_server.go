package engine

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"
	"time"

	"github.com/go-sql-driver/mysql"
)

// reachServer is Reach on a database server: ping retried for within.
func reachServer(ctx context.Context, d *DB, within time.Duration, ping func(context.Context, *DB) error) error {
	p := retryPolicy{what: "reach " + d.ident, budget: within, since: time.Now(), deadline: true}
	err, stop := p.run(ctx, func() error { return ping(ctx, d) })
	switch {
	case err == nil:
		return nil
	case stop != nil:
		return fmt.Errorf("%s: %w", d.ident, stop)
	case !Transient(err):
		return fmt.Errorf("%s: %s: %w", d.ident, refusal(err), saidOnce(err))
	}
	return fmt.Errorf("%s: not reachable after %s: %s", d.ident, within, unreachable(err))
}

// refusal names what a server that answered said no to.
func refusal(err error) string {
	for _, own := range []func(error) string{mysqlRefusal, postgresRefusal} {
		if r := own(err); r != "" {
			return r
		}
	}
	return "first contact failed"
}

// unreachable is why a server could not be reached, in a few words: the
// system's reason (connection refused, no route to host), a timeout, or a
// peer that does not speak the database's protocol.
func unreachable(err error) string {
	var errno syscall.Errno
	var ne net.Error
	var dns *net.DNSError
	switch {
	case errors.As(err, &dns):
		return "no such host " + dns.Name
	case errors.As(err, &errno):
		return errno.Error()
	case errors.As(err, &ne) && ne.Timeout():
		return "no answer (timed out)"
	case errors.Is(err, mysql.ErrInvalidConn):
		return "the connection closed before the server answered as MySQL"
	}
	return shortErr(saidOnce(err))
}

// saidOnce is err with the driver's framing taken off its text, so that a
// first contact's failure is one line that says its reason once.
func saidOnce(err error) error {
	if r := postgresConnectReason(err); r != "" {
		return reasonError{text: r, err: err}
	}
	return err
}

// reasonError shows text and unwraps to the error it stands for.
type reasonError struct {
	text string
	err  error
}

func (e reasonError) Error() string { return e.text }
func (e reasonError) Unwrap() error { return e.err }
