package engine

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"

	"runway/runbook/dlog"
)

// A writer whose link died after a write went out can leave its session on
// the server, its transaction open and the chunk's rows locked, for as long
// as the server takes to notice (hours, with default keepalives). The
// retry would wait on those locks; so a writer marks its session, and after
// a stall the next connection ends the stranded one. The mark is checked on
// the server itself, so a session of the same number on another server
// (after a failover) is never touched.

// sessionMark tells one writer session on the server: a named lock it
// holds (MySQL), or its backend's pid and start (PostgreSQL).
type sessionMark struct {
	lock  string
	pid   int64
	start string
}

// writerMarks are a writer's current session and one left stranded.
type writerMarks struct {
	current, stranded sessionMark
}

// markSession marks the session on conn; best effort, zero when it cannot.
func markSession(ctx context.Context, d *DB, conn *sql.Conn) sessionMark {
	var m sessionMark
	switch d.Driver() {
	case MySQL:
		b := make([]byte, 8)
		rand.Read(b)
		name := "runway_writer_" + hex.EncodeToString(b)
		var got sql.NullInt64
		if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, 0)", name).Scan(&got); err == nil && got.Int64 == 1 {
			m.lock = name
		}
	case Postgres:
		err := conn.QueryRowContext(ctx, "SELECT pid, backend_start::text FROM pg_stat_activity WHERE pid = pg_backend_pid()").Scan(&m.pid, &m.start)
		if err != nil {
			m = sessionMark{}
		}
	}
	return m
}

// endStranded ends the session marked m, from conn, if it is still there.
func endStranded(ctx context.Context, d *DB, conn *sql.Conn, m sessionMark) {
	var err error
	switch {
	case m.lock != "":
		var id sql.NullInt64
		err = conn.QueryRowContext(ctx, "SELECT IS_USED_LOCK(?)", m.lock).Scan(&id)
		if err == nil && id.Valid {
			_, err = conn.ExecContext(ctx, fmt.Sprintf("KILL %d", id.Int64))
		}
	case m.pid != 0:
		_, err = conn.ExecContext(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = $1 AND backend_start::text = $2", m.pid, m.start)
	}
	if err != nil {
		dlog.From(ctx).Debug("engine.stranded", "db", d.ident, "err", shortErr(err))
	}
}
