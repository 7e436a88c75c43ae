package engine

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
)

// tryJobLock takes a named lock without waiting. MySQL names are at most
// 64 characters, so the lock is named by the name's hash.
func (mysqlDialect) tryJobLock(ctx context.Context, conn *sql.Conn, name string) (bool, error) {
	h := sha256.Sum256([]byte(name))
	var got sql.NullInt64
	err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, 0)", "runway:"+hex.EncodeToString(h[:16])).Scan(&got)
	return got.Valid && got.Int64 == 1, err
}

// releaseJobLocks gives back every named lock conn holds.
func (mysqlDialect) releaseJobLocks(ctx context.Context, conn *sql.Conn) error {
	_, err := conn.ExecContext(ctx, "SELECT RELEASE_ALL_LOCKS()")
	return err
}
