package engine

import (
	"context"
	"database/sql"

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

// sessionMarker is a dialect that can mark a writer's session on the
// server and end the session a mark names.
type sessionMarker interface {
	markSession(ctx context.Context, conn *sql.Conn) sessionMark
	endMarked(ctx context.Context, conn *sql.Conn, m sessionMark) error
}

// markSession marks the session on conn; best effort, zero when it cannot.
func markSession(ctx context.Context, d *DB, conn *sql.Conn) sessionMark {
	if sm, ok := d.dialect.(sessionMarker); ok {
		return sm.markSession(ctx, conn)
	}
	return sessionMark{}
}

// endStranded ends the session marked m, from conn, if it is still there.
func endStranded(ctx context.Context, d *DB, conn *sql.Conn, m sessionMark) {
	sm, ok := d.dialect.(sessionMarker)
	if !ok || m == (sessionMark{}) {
		return
	}
	if err := sm.endMarked(ctx, conn, m); err != nil {
		dlog.From(ctx).Debug("engine.stranded", "db", d.ident, "err", shortErr(err))
	}
}
