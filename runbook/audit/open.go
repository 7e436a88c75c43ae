package audit

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

func init() {
	// A POSIX lock belongs to the process and is dropped by any close(2) of
	// any descriptor of the file, anywhere in the process. OFD locks belong
	// to SQLite's own descriptor, so no other code can silently strip the
	// locks that keep a watcher or a second writer from deleting the WAL
	// under us. Where they are unavailable SQLite keeps POSIX locks.
	_, _ = sqlite.OFDLocking(true)
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
	ident  os.FileInfo // identity of the file we opened
	poison error       // first write failure; every later write returns it
	closed bool
	run    string    // this process's run id
	start  time.Time // Mono is measured from here
	h      hasher
}

// Open opens the audit log at path for writing, creating it if missing. It
// refuses a file that is not a runway audit log, and returns an error wrapping
// ErrUnwritable if the file cannot be written, so a session never starts
// that could not be recorded.
func Open(path string) (*Log, error) {
	if path == "" {
		return nil, errors.New("open audit log: no path given")
	}
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		return nil, notLog(path, "not a regular file")
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("open audit log %s: %w", path, err)
	}
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
	var errs []error
	if l.rdb != nil {
		errs = append(errs, l.rdb.Close())
	}
	if l.w != nil {
		errs = append(errs, l.w.close())
	}
	if l.wdb != nil {
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

// openWriter opens the single writer connection, creates or checks the
// schema, and proves the file writable.
func (l *Log) openWriter() error {
	wdb, err := sql.Open("sqlite", dsn(l.path,
		"_pragma=busy_timeout("+fmt.Sprint(busyTimeout.Milliseconds())+")",
		"_pragma=synchronous(FULL)",
		"_pragma=foreign_keys(1)",
	))
	if err != nil {
		return fmt.Errorf("open audit log %s: %w", l.path, err)
	}
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxLifetime(0)
	wdb.SetConnMaxIdleTime(0)
	l.wdb = wdb
	ctx := context.Background()
	conn, err := wdb.Conn(ctx)
	if err != nil {
		return openError(l.path, err)
	}
	if err := initSchema(ctx, l.path, conn); err != nil {
		conn.Close()
		return err
	}
	// Remember which file we opened: SQLite keeps writing to a file that was
	// removed or replaced, so every write compares it with the path again.
	fi, err := os.Stat(l.path)
	if err != nil {
		conn.Close()
		return unwritable(l.path, err)
	}
	l.ident = fi
	w, err := prepareWriter(ctx, conn)
	if err != nil {
		conn.Close()
		return fmt.Errorf("open audit log %s: %w", l.path, err)
	}
	l.w = w
	return nil
}

// openReaders opens the pool used for queries; it never writes. immutable
// reads a file that no one can be writing without WAL support files.
func openReaders(path string, immutable bool) (*sql.DB, error) {
	params := []string{
		"mode=ro",
		"_pragma=busy_timeout(" + fmt.Sprint(busyTimeout.Milliseconds()) + ")",
		"_pragma=query_only(1)",
	}
	if immutable {
		params = append(params, "immutable=1")
	}
	db, err := sql.Open("sqlite", dsn(path, params...))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(2)
	return db, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// header is what identifies a file as a runway log.
type header struct {
	appID, version, tables int64
}

// querier is a *sql.DB or a *sql.Conn.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func readHeader(q querier) (header, error) {
	var h header
	err := q.QueryRowContext(context.Background(), `SELECT
		(SELECT application_id FROM pragma_application_id),
		(SELECT user_version FROM pragma_user_version),
		(SELECT count(*) FROM sqlite_schema)`).Scan(&h.appID, &h.version, &h.tables)
	return h, err
}

// check accepts a runway log of a version this code reads, or an empty
// database (appID 0, no tables).
func (h header) check(path string) error {
	switch {
	case h.appID == applicationID && h.version == schemaVersion:
		return nil
	case h.appID == applicationID && h.version > schemaVersion:
		return fmt.Errorf("audit log %s: written by a newer runway (log format %d, this runway reads %d)", path, h.version, schemaVersion)
	case h.appID == applicationID:
		return notLog(path, fmt.Sprintf("unknown log format %d", h.version))
	case h.appID == 0 && h.tables == 0:
		return nil
	case h.appID == 0:
		return notLog(path, "an SQLite database of another application")
	default:
		return notLog(path, fmt.Sprintf("an SQLite database of another application (id %#x)", h.appID))
	}
}

// initSchema checks an existing log or lays out a new one, and proves the
// file writable with a write transaction.
func initSchema(ctx context.Context, path string, conn *sql.Conn) error {
	h, err := readHeader(conn)
	if err != nil {
		return openError(path, err)
	}
	if err := h.check(path); err != nil {
		return err
	}
	var mode string
	if err := conn.QueryRowContext(ctx, `PRAGMA journal_mode=WAL`).Scan(&mode); err != nil {
		return unwritable(path, err)
	}
	if !strings.EqualFold(mode, "wal") {
		return &unwritableError{path: path, reason: "cannot switch the file to WAL mode (journal mode " + mode + ")"}
	}
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		return unwritable(path, err)
	}
	err = createSchema(ctx, path, conn)
	if err == nil {
		_, err = conn.ExecContext(ctx, `COMMIT`)
		if err != nil {
			err = unwritable(path, err)
		}
	}
	if err != nil {
		conn.ExecContext(ctx, `ROLLBACK`)
		return err
	}
	return nil
}

// createSchema lays out an empty database; another process may have done so
// since we looked, so it looks again inside the write transaction.
func createSchema(ctx context.Context, path string, conn *sql.Conn) error {
	h, err := readHeader(conn)
	if err != nil {
		return openError(path, err)
	}
	if err := h.check(path); err != nil {
		return err
	}
	if h.appID == applicationID {
		// SQLite opens a file it may not write read-only without a word, and
		// an empty transaction commits even then: rewrite the version so the
		// file proves writable before any session starts.
		if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, schemaVersion)); err != nil {
			return unwritable(path, err)
		}
		return nil
	}
	for _, stmt := range schema {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return unwritable(path, err)
		}
	}
	for _, p := range []string{
		fmt.Sprintf(`PRAGMA application_id = %d`, applicationID),
		fmt.Sprintf(`PRAGMA user_version = %d`, schemaVersion),
	} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return unwritable(path, err)
		}
	}
	return nil
}

// openError turns an error met while opening into one line naming the file.
func openError(path string, err error) error {
	var ue *unwritableError
	if errors.As(err, &ue) || errors.Is(err, ErrNotLog) {
		return err
	}
	switch sqliteCode(err) {
	case sqlite3.SQLITE_NOTADB:
		return notLog(path, "not an SQLite database")
	case sqlite3.SQLITE_CORRUPT:
		return fmt.Errorf("audit log %s: the file is damaged: %w", path, err)
	case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM:
		return unwritable(path, err)
	}
	return fmt.Errorf("open audit log %s: %w", path, err)
}

// readError turns an error met while opening for reading into one line.
func readError(path string, err error) error {
	switch {
	case errors.Is(err, ErrNotLog):
		return err
	case sqliteCode(err) == sqlite3.SQLITE_NOTADB:
		return notLog(path, "not an SQLite database")
	}
	return fmt.Errorf("open audit log %s: %w", path, err)
}

// dsn builds an SQLite URI for path. Characters that URIs give meaning to
// are escaped so any file name works.
func dsn(path string, params ...string) string {
	if strings.HasPrefix(path, "//") { // would read as a URI authority
		path = "/" + strings.TrimLeft(path, "/")
	}
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return "file:" + r.Replace(path) + "?" + strings.Join(params, "&")
}

// newRunID names this process's run of the log, so Mono values are only
// compared within one run.
func newRunID() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
