package engine

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// jobLocker is a dialect that can hold a lock named by a copy's job on the
// target for as long as a connection stays open (released by the server
// when the process dies, however it dies).
type jobLocker interface {
	tryJobLock(ctx context.Context, conn *sql.Conn, name string) (bool, error)
	// releaseJobLocks gives back every lock conn holds, at once: closing
	// the connection frees them too, but only when the server has ended
	// its session, after the next run may already have asked.
	releaseJobLocks(ctx context.Context, conn *sql.Conn) error
}

// lockWait is how long a run waits for a lock the run before it may still
// be giving back (a killed process's session ends on the server a moment
// after it dies) before it says the job is already copying.
const lockWait = 5 * time.Second

// lockJob keeps a second run of the same copy job off the target's tables
// while this one copies them: two runs would write the same chunks, and on
// a fresh PostgreSQL table the slower one fails on the first duplicate key.
// Each table is locked on its own (checkpoints are per job and table), so
// runs of one job over other tables go on. The returned release closes the
// lock's connection; dialects without such a lock (SQLite serialises
// writers on its file) hold nothing.
func lockJob(ctx context.Context, dst *DB, job string, tables []string) (release func(), err error) {
	l, ok := dst.dialect.(jobLocker)
	if !ok {
		return func() {}, nil
	}
	conn, err := dst.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("lock copy job %s in %s: %w", job, dst, err)
	}
	for _, table := range tables {
		got, err := waitJobLock(ctx, l, conn, jobLockName(dst, job, table))
		if err != nil {
			discardConn(conn)
			return nil, fmt.Errorf("lock copy job %s in %s: %w", job, dst, err)
		}
		if !got {
			discardConn(conn)
			return nil, fmt.Errorf("%s: copy job %s is already copying it into %s: wait for that run to finish, or stop it first", table, job, dst)
		}
	}
	return func() { releaseLocks(l, conn) }, nil
}

// jobLockName names the lock of one table of a job on its target. MySQL's
// named locks are server-wide, so the name carries the target database:
// the same job and table copied into two databases of one server are two
// runs that may go on at once.
func jobLockName(dst *DB, job, table string) string {
	return "runway copy " + strconv.Quote(job) + " " + strconv.Quote(dst.ident) + " " + strconv.Quote(table)
}

// waitJobLock tries the lock named name for up to lockWait.
func waitJobLock(ctx context.Context, l jobLocker, conn *sql.Conn, name string) (bool, error) {
	deadline := time.Now().Add(lockWait)
	for {
		got, err := l.tryJobLock(ctx, conn, name)
		if got || err != nil || time.Now().After(deadline) {
			return got, err
		}
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// releaseLocks gives back conn's locks, then closes its session.
func releaseLocks(l jobLocker, conn *sql.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = l.releaseJobLocks(ctx, conn) // a broken connection frees them with its session
	discardConn(conn)
}

// discardConn closes conn's session on the server rather than returning it
// to the pool, so that the locks and settings it holds go with it.
//
// A transaction whose context ended discards its connection the same way,
// from a goroutine of database/sql's own, and Conn.Raw racing that close
// can find the connection gone after checking it is not (Go 1.26 panics on
// a nil driverConn there). The connection is discarded then, which is all
// this asks, so that panic alone is absorbed.
func discardConn(conn *sql.Conn) {
	defer func() {
		if r := recover(); r != nil {
			if err, ok := r.(runtime.Error); !ok || !strings.Contains(err.Error(), "nil pointer") {
				panic(r)
			}
		}
	}()
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	conn.Close()
}
