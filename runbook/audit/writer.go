package audit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// writer is the one connection that writes, with its statements prepared
// once so an append costs only their execution and the fsync.
type writer struct {
	conn                                   *sql.Conn
	begin, commit, rollback                *sql.Stmt
	tail, insert                           *sql.Stmt
	sessionExists, insertSession, setState *sql.Stmt
}

func prepareWriter(ctx context.Context, conn *sql.Conn) (*writer, error) {
	w := &writer{conn: conn}
	for _, p := range []struct {
		dst **sql.Stmt
		sql string
	}{
		{&w.begin, `BEGIN IMMEDIATE`},
		{&w.commit, `COMMIT`},
		{&w.rollback, `ROLLBACK`},
		{&w.tail, `SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1`},
		{&w.insert, `INSERT INTO events (` + eventColumns + `) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`},
		{&w.sessionExists, `SELECT count(*) FROM sessions WHERE id = ?`},
		{&w.insertSession, `INSERT INTO sessions (` + sessionColumns + `) VALUES (?,?,?,?,?,?,?,?,?,?)`},
		{&w.setState, `UPDATE sessions SET status = ?, ended = ? WHERE id = ?`},
	} {
		st, err := conn.PrepareContext(ctx, p.sql)
		if err != nil {
			w.close()
			return nil, fmt.Errorf("prepare %q: %w", p.sql, err)
		}
		*p.dst = st
	}
	return w, nil
}

func (w *writer) close() error {
	for _, st := range []*sql.Stmt{w.begin, w.commit, w.rollback, w.tail, w.insert, w.sessionExists, w.insertSession, w.setState} {
		if st != nil {
			st.Close()
		}
	}
	return w.conn.Close()
}

// inputError is a write refused because of what the caller asked for; it
// does not poison the log.
type inputError struct{ err error }

func (e inputError) Error() string { return e.err.Error() }
func (e inputError) Unwrap() error { return e.err }

// writeTx runs fn in one BEGIN IMMEDIATE transaction on the writer, so the
// tail it reads is still the tail when it commits, whichever process else
// writes the file. Any failure but an inputError poisons the log. The caller
// holds l.mu.
func (l *Log) writeTx(fn func(w *writer) error) error {
	if err := l.writable(); err != nil {
		return err
	}
	if _, err := l.w.begin.Exec(); err != nil {
		return l.fail(err)
	}
	err := fn(l.w)
	if err == nil {
		if _, err = l.w.commit.Exec(); err == nil {
			// Committed to the files we opened; success only if they are
			// still the log's files, or the commit may live in no file at all.
			return l.checkFiles()
		}
	}
	// A failed statement or COMMIT leaves nothing behind: roll back whatever
	// SQLite did not already roll back itself.
	l.w.rollback.Exec()
	var ie inputError
	if errors.As(err, &ie) {
		return ie.err
	}
	if ferr := l.checkFiles(); ferr != nil {
		return ferr // a lost file explains the failure better
	}
	return l.fail(err)
}

// writable says whether a write may be attempted: the log is open for
// writing, not poisoned, and the paths still name the files we opened.
func (l *Log) writable() error {
	switch {
	case l.poison != nil:
		return l.poison
	case l.readOnly:
		return &unwritableError{path: l.path, reason: "opened read-only"}
	case l.closed:
		return &unwritableError{path: l.path, reason: "the log is closed"}
	}
	return l.checkFiles()
}

// fail poisons the log with err and returns the poison.
func (l *Log) fail(err error) error {
	if l.poison == nil {
		l.poison = unwritable(l.path, err)
	}
	return l.poison
}

// Poisoned returns the failure that made the log unwritable, or nil.
func (l *Log) Poisoned() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.poison
}
