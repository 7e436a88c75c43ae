package engine

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"runway/runbook/dlog"
)

// Transient reports whether err is worth retrying: a lost or refused
// connection (a restarted server, a killed session), a deadlock, a lock wait
// timeout, or SQLite's busy/locked.
func Transient(err error) bool {
	var stall *stallError
	if errors.As(err, &stall) {
		return true
	}
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	for _, classify := range serverErrors {
		if transient, ok := classify(err); ok {
			return transient
		}
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	msg := err.Error()
	for _, s := range []string{"SQLITE_BUSY", "SQLITE_LOCKED", "database is locked", "invalid connection",
		"bad connection", "broken pipe", "connection reset", "connection refused", "i/o timeout"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// serverErrors classify each driver's own errors: transient or not, ok
// false when the error is not that driver's.
var serverErrors = []func(error) (transient, ok bool){mysqlTransient, postgresTransient}

// backoff is the delay before retry attempt n (1-based): 100ms doubling to 5s.
func backoff(n int) time.Duration {
	d := 100 * time.Millisecond
	for i := 1; i < n && d < 5*time.Second; i++ {
		d *= 2
	}
	return min(d, 5*time.Second)
}

// sleepCtx sleeps for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// shortErr is err's message cut to one short line, for progress notes.
func shortErr(err error) string {
	s := strings.ReplaceAll(err.Error(), "\n", " ")
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

// retryPolicy is how one loop retries: transient errors are retried with
// backoff until budget has passed, counted from the first failure (or from
// since, when set). Every engine loop that retries goes through run.
type retryPolicy struct {
	what   string        // what is retried, for the debug log
	budget time.Duration // how long failures are retried
	// since, when set, starts the budget before the first attempt.
	since time.Time
	// deadline cuts the last wait short to end with the budget, and ends
	// the loop as soon as the budget is reached (a first contact).
	deadline bool
	// failed, if set, runs after every failed attempt (e.g. drops the
	// connection, so the next attempt opens a fresh one).
	failed func()
	// retrying, if set, is told of each retry before its wait (a progress note).
	retrying func(err error)
}

// run calls f until it succeeds. It returns nil, or f's last error and,
// when the context ended the loop, the context's error as stop. An error
// that is not Transient, or one still failing after the budget, ends the
// loop with stop nil.
func (p retryPolicy) run(ctx context.Context, f func() error) (err, stop error) {
	first := p.since
	for attempt := 1; ; attempt++ {
		err := f()
		if err == nil {
			return nil, nil
		}
		if p.failed != nil {
			p.failed()
		}
		if ctx.Err() != nil {
			return err, ctx.Err()
		}
		wait := backoff(attempt)
		if first.IsZero() {
			first = time.Now()
		}
		if p.deadline {
			if time.Since(first) >= p.budget {
				return err, nil
			}
			wait = min(wait, max(p.budget-time.Since(first), time.Millisecond))
		}
		if !Transient(err) || time.Since(first) > p.budget {
			return err, nil
		}
		dlog.From(ctx).Debug("engine.retry", "what", p.what, "attempt", attempt, "wait_ms", wait.Milliseconds(), "err", shortErr(err))
		if p.retrying != nil {
			p.retrying(err)
		}
		if s := sleepCtx(ctx, wait); s != nil {
			return err, s
		}
	}
}

// onConn is a retryPolicy's f that runs f on *conn, opening a connection of
// d first when there is none; pair it with dropConn as the policy's failed.
func onConn(ctx context.Context, d *DB, conn **sql.Conn, f func(*sql.Conn) error) func() error {
	return func() error {
		if *conn == nil {
			c, err := d.db.Conn(ctx)
			if err != nil {
				return err
			}
			*conn = c
		}
		return f(*conn)
	}
}

// dropConn closes *conn if open and forgets it.
func dropConn(conn **sql.Conn) func() {
	return func() {
		if *conn != nil {
			(*conn).Close()
			*conn = nil
		}
	}
}
