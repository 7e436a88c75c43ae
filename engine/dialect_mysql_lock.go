package engine

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
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

// markSession holds a named lock of its own, random, for the session's
// life: IS_USED_LOCK finds the session by it on this server only.
func (mysqlDialect) markSession(ctx context.Context, conn *sql.Conn) sessionMark {
	b := make([]byte, 8)
	rand.Read(b)
	name := "runway_writer_" + hex.EncodeToString(b)
	var got sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, 0)", name).Scan(&got); err != nil || got.Int64 != 1 {
		return sessionMark{}
	}
	return sessionMark{lock: name}
}

// endMarked kills the session holding m's lock, if one still does.
func (mysqlDialect) endMarked(ctx context.Context, conn *sql.Conn, m sessionMark) error {
	if m.lock == "" {
		return nil
	}
	var id sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT IS_USED_LOCK(?)", m.lock).Scan(&id); err != nil || !id.Valid {
		return err
	}
	_, err := conn.ExecContext(ctx, fmt.Sprintf("KILL %d", id.Int64))
	return err
}
