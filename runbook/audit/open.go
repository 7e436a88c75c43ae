package audit

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// UseOFDLocks makes SQLite lock database files with OFD locks, for every
// database of the process: the choice is the process's by necessity (the
// kernel sees POSIX and OFD locks on one file as different owners), so the
// program makes it first thing (runway/ui/cli.Execute), and an audit log
// makes it again as it opens, for programs that did not. A POSIX lock
// belongs to the process and is dropped by any close(2) of any descriptor
// of the file, anywhere in the process; OFD locks belong to SQLite's own
// descriptor, so no other code can silently strip the locks that keep a
// watcher or a second writer from deleting the WAL under us. Where they
// are unavailable, or a database was locked already, SQLite keeps POSIX
// locks.
func UseOFDLocks() { _, _ = sqlite.OFDLocking(true) }

// Options tune how a log is opened; the zero value is how runway runs.
type Options struct {
	// GuardEvery is how often the open log looks at its files between
	// writes (guardEvery when zero). Tests that take files away set it
	// long, so the guard does not race them, or short, to test it.
	GuardEvery time.Duration
}

// busyTimeout is how long a write waits for another process's transaction
// before the log counts as unwritable.
const busyTimeout = 10 * time.Second

// Log is an open audit log. Its methods are safe for concurrent use; writes
// are serialised on one connection, reads use a small pool of their own.
type Log struct {
	path     string
	readOnly bool
	rdb      *sql.DB // readers
	wdb      *sql.DB // the single writer connection's pool; nil when read-only

	redact atomic.Pointer[func(string) string]

	mu     sync.Mutex // guards everything below
	w      *writer
	files  opened        // identity of the files the writer opened
	stop   chan struct{} // closed by Close to end the guard
	poison error         // first write failure; every later write returns it
	closed bool
	// keepWriter leaves the writer open at Close, for the process's end to
	// drop: the -wal was cut, and closing would checkpoint it.
	keepWriter bool
	run        string    // this process's run id
	start      time.Time // Mono is measured from here
	h          hasher
}

// Open opens the audit log at path for writing, creating it if missing. It
// refuses a file that is not a runway audit log, and returns an error wrapping
// ErrUnwritable if the file cannot be written, so a session never starts
// that could not be recorded.
func Open(path string) (*Log, error) { return OpenWith(path, Options{}) }

// OpenWith is Open with options.
func OpenWith(path string, o Options) (*Log, error) {
	if path == "" {
		return nil, errors.New("open audit log: no path given")
	}
	if err := lstatName(path); err != nil {
		return nil, err
	}
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		return nil, notLog(path, "not a regular file")
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("open audit log %s: %w", path, err)
	}
	UseOFDLocks()
	l := &Log{path: path, run: newRunID(), start: time.Now()}
	if err := l.openWriter(); err != nil {
		l.Close()
		return nil, err
	}
	rdb, err := openReaders(path, false)
	if err != nil {
		l.Close()
		return nil, fmt.Errorf("open audit log %s: %w", path, err)
	}
	l.rdb = rdb
	l.stop = make(chan struct{})
	if o.GuardEvery <= 0 {
		o.GuardEvery = guardEvery
	}
	go l.guard(l.stop, o.GuardEvery)
	return l, nil
}

// OpenReadOnly opens an existing audit log for reading (watch, replay,
// report, verify). It never creates or changes the file.
func OpenReadOnly(path string) (*Log, error) {
	if path == "" {
		return nil, errors.New("open audit log: no path given")
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("open audit log %s: no such file", path)
	case err != nil:
		return nil, fmt.Errorf("open audit log %s: %w", path, err)
	case !fi.Mode().IsRegular():
		return nil, notLog(path, "not a regular file")
	case fi.Size() == 0:
		return nil, notLog(path, "the file is empty")
	}
	l, err := openReadOnly(path, false)
	if code := sqliteCode(err); (code == sqlite3.SQLITE_CANTOPEN || code == sqlite3.SQLITE_READONLY) && !exists(path+"-wal") {
		// A closed log in a directory we cannot write (an archive, read-only
		// media): no writer can be active without a WAL beside it, so read
		// the file as it stands.
		l, err = openReadOnly(path, true)
	}
	if err != nil {
		return nil, readError(path, err)
	}
	return l, nil
}

func openReadOnly(path string, immutable bool) (*Log, error) {
	UseOFDLocks()
	rdb, err := openReaders(path, immutable)
	if err != nil {
		return nil, err
	}
	st, err := readHeader(rdb)
	if err == nil {
		err = st.check(path)
	}
	if err == nil && st.appID == 0 {
		err = notLog(path, "an empty database")
	}
	if err != nil {
		rdb.Close()
		return nil, err
	}
	return &Log{path: path, readOnly: true, rdb: rdb}, nil
}

// Path is the file the log was opened from.
func (l *Log) Path() string { return l.path }

// Close closes the log. Later writes fail with ErrUnwritable.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	if l.stop != nil {
		close(l.stop)
	}
	var errs []error
	if l.rdb != nil {
		errs = append(errs, l.rdb.Close())
	}
	if l.w != nil && !l.keepWriter {
		errs = append(errs, l.w.close())
	}
	if l.wdb != nil && !l.keepWriter {
		errs = append(errs, l.wdb.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close audit log %s: %w", l.path, err)
	}
	return nil
}

// SetRedactor sets a function applied to payload text and runbook text before
// they are written, so secrets never reach the file. nil removes it.
func (l *Log) SetRedactor(fn func(string) string) {
	if fn == nil {
		l.redact.Store(nil)
		return
	}
	l.redact.Store(&fn)
}

// redactor returns the current redactor, or nil.
func (l *Log) redactor() func(string) string {
	if p := l.redact.Load(); p != nil {
		return *p
	}
	return nil
}
