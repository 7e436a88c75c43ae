package engine

import (
	"context"
	"database/sql"
)

// tryJobLock takes a session advisory lock keyed by the name's hash.
func (postgresDialect) tryJobLock(ctx context.Context, conn *sql.Conn, name string) (bool, error) {
	var got bool
	err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock(hashtextextended($1, 0))", name).Scan(&got)
	return got, err
}

// releaseJobLocks gives back every named lock conn holds.
func (postgresDialect) releaseJobLocks(ctx context.Context, conn *sql.Conn) error {
	_, err := conn.ExecContext(ctx, "SELECT pg_advisory_unlock_all()")
	return err
}

// markSession is the session's backend pid and start: together they name
// it on this server only.
func (postgresDialect) markSession(ctx context.Context, conn *sql.Conn) sessionMark {
	var m sessionMark
	err := conn.QueryRowContext(ctx, "SELECT pid, backend_start::text FROM pg_stat_activity WHERE pid = pg_backend_pid()").Scan(&m.pid, &m.start)
	if err != nil {
		return sessionMark{}
	}
	return m
}

// endMarked ends the backend m names, if it is still the same one.
func (postgresDialect) endMarked(ctx context.Context, conn *sql.Conn, m sessionMark) error {
	if m.pid == 0 {
		return nil
	}
	_, err := conn.ExecContext(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = $1 AND backend_start::text = $2", m.pid, m.start)
	return err
}
