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

// Reach makes the first contact with a MySQL database, retrying a server
// that cannot be reached (refused, timed out, restarting) for at most
// within. It fails with one line naming the database and why: "mysql://u@
// 127.0.0.1:1/db: not reachable after 10s: connection refused", or, when
// the server answers but refuses the login, "…: login refused: Error 1045
// …". A SQLite database needs no contact: nil.
func (d *DB) Reach(ctx context.Context, within time.Duration) error {
	return d.dialect.reach(ctx, d, within)
}

// reachMySQL is Reach on MySQL.
func reachMySQL(ctx context.Context, d *DB, within time.Duration) error {
	p := retryPolicy{what: "reach " + d.ident, budget: within, since: time.Now(), deadline: true}
	err, stop := p.run(ctx, func() error { return d.db.PingContext(ctx) })
	switch {
	case err == nil:
		return nil
	case stop != nil:
		return fmt.Errorf("%s: %w", d.ident, stop)
	case !Transient(err):
		return fmt.Errorf("%s: %s: %w", d.ident, refusal(err), err)
	}
	return fmt.Errorf("%s: not reachable after %s: %s", d.ident, within, unreachable(err))
}

// refusal names what a server that answered said no to.
func refusal(err error) string {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case 1045, 1698, 1044, 1130, 1129, 1251:
			return "login refused"
		case 1049:
			return "no such database"
		}
	}
	return "first contact failed"
}

// unreachable is why a server could not be reached, in a few words: the
// system's reason (connection refused, no route to host), a timeout, or a
// peer that does not speak MySQL.
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
	return shortErr(err)
}
