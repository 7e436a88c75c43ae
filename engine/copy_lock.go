package engine

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strconv"
)

// jobLocker is a dialect that can hold a lock named by a copy's job on the
// target for as long as a connection stays open (released by the server
// when the process dies, however it dies).
type jobLocker interface {
	tryJobLock(ctx context.Context, conn *sql.Conn, name string) (bool, error)
}

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
		got, err := l.tryJobLock(ctx, conn, "runway copy "+strconv.Quote(job)+" "+strconv.Quote(table))
		if err != nil {
			discardConn(conn)
			return nil, fmt.Errorf("lock copy job %s in %s: %w", job, dst, err)
		}
		if !got {
			discardConn(conn)
			return nil, fmt.Errorf("%s: copy job %s is already copying it into %s: wait for that run to finish, or stop it first", table, job, dst)
		}
	}
	return func() { discardConn(conn) }, nil
}

// discardConn closes conn's session on the server rather than returning it
// to the pool, so that the locks it holds go with it.
func discardConn(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	conn.Close()
}
