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
