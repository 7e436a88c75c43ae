package audit

import (
	"errors"
	"fmt"
	"os"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"runway/runbook/text"
)

var (
	// ErrUnwritable marks every failure to record an event: disk full, a
	// read-only file, the file removed or replaced. Once an append fails this
	// way, the Log is poisoned and every later write fails too.
	ErrUnwritable = errors.New("cannot be written")
	// ErrNotLog is returned when a file exists but is not a runway audit log.
	ErrNotLog = errors.New("not a runway audit log")
	// ErrNoSession is returned when a session is asked for that the log does
	// not hold.
	ErrNoSession = errors.New("no such session")
	// ErrInvalidEvent is returned for an event the caller built wrongly
	// (no kind, no session, a payload that is not a JSON object). It does
	// not poison the log.
	ErrInvalidEvent = errors.New("invalid event")
)

// unwritableError names the log and the reason it cannot be written, and
// matches ErrUnwritable with errors.Is.
type unwritableError struct {
	path   string
	reason string
	err    error // the underlying cause, if any
}

func (e *unwritableError) Error() string {
	return "audit log " + e.path + " " + ErrUnwritable.Error() + ": " + e.reason
}

func (e *unwritableError) Is(target error) bool { return target == ErrUnwritable }
func (e *unwritableError) Unwrap() error        { return e.err }

// unwritable classifies a failed write into a one-line reason.
func unwritable(path string, err error) error {
	var ue *unwritableError
	if errors.As(err, &ue) {
		return err
	}
	reason := writeFailure(err)
	if sqliteCode(err) == sqlite3.SQLITE_IOERR && (cannotWrite(path) || cannotWrite(path+"-wal")) {
		reason = "the file is read-only (" + reason + ")"
	}
	return &unwritableError{path: path, reason: reason, err: err}
}

// writeFailure says in a few words why a write failed.
func writeFailure(err error) string {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_READONLY_DIRECTORY:
			return "its directory is read-only"
		case sqlite3.SQLITE_READONLY_DBMOVED:
			return "the file was moved or removed while open"
		}
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_FULL:
			return "the disk is full"
		case sqlite3.SQLITE_READONLY:
			return "the file is read-only"
		case sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH:
			return "permission denied"
		case sqlite3.SQLITE_CANTOPEN:
			return "the file or its directory cannot be opened for writing"
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return "another process holds the write lock for too long"
		case sqlite3.SQLITE_IOERR:
			return "I/O error (" + text.OneLine(se.Error()) + ")"
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return "the file is damaged (" + text.OneLine(se.Error()) + ")"
		}
	}
	switch {
	case errors.Is(err, os.ErrPermission):
		return "permission denied"
	case errors.Is(err, os.ErrNotExist):
		return "the file was removed"
	}
	return text.OneLine(err.Error())
}

// sqliteCode is the primary result code of err, or 0 if it is not an SQLite
// error.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

// isConstraint reports whether err is a constraint violation, which means the
// caller's input was wrong, not that the file is unwritable.
func isConstraint(err error) bool { return sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT }

// notLog builds the error for a file that exists but is not ours.
func notLog(path, why string) error {
	return fmt.Errorf("audit log %s: %w (%s)", path, ErrNotLog, why)
}
