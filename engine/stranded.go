package engine

import (
	"context"
	"database/sql"
	"errors"
	"time"

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

// writerConn is one writer's connection to a target: prepared for writing
// when opened, and marked, so that the connection opened after a stall
// ends the session the stall left behind.
type writerConn struct {
	d       *DB
	prepare func(ctx context.Context, conn *sql.Conn) error
	conn    *sql.Conn
	used    time.Time // when get last returned conn
	marks   writerMarks
}

// writerIdle is how long a writer connection may sit unused before it is
// replaced: a server's idle timeout, or a NAT that forgets the link, ends
// it unseen, and a held connection skips the pool's checks.
var writerIdle = 10 * time.Second // a variable for tests

// get returns the open connection, or opens and prepares one, first ending
// a session a stall stranded.
func (w *writerConn) get(ctx context.Context) (*sql.Conn, error) {
	if w.conn != nil && time.Since(w.used) > writerIdle {
		w.drop(nil)
	}
	w.used = time.Now()
	if w.conn != nil {
		return w.conn, nil
	}
	conn, err := w.d.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if err := w.prepare(ctx, conn); err != nil {
		discardConn(conn)
		return nil, err
	}
	if w.marks.stranded != (sessionMark{}) {
		endStranded(ctx, w.d, conn, w.marks.stranded)
		w.marks.stranded = sessionMark{}
	}
	w.marks.current = markSession(ctx, w.d, conn)
	w.conn = conn
	return conn, nil
}

// drop discards the connection after err. After a stall its session may
// live on at the server with its transaction's locks: the next get ends it.
func (w *writerConn) drop(err error) {
	if w.conn == nil {
		return
	}
	var stall *stallError
	if errors.As(err, &stall) {
		w.marks.stranded = w.marks.current
	}
	discardConn(w.conn)
	w.conn = nil
}
