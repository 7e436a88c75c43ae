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

	sqlite3 "modernc.org/sqlite/lib"
)

// openWriter opens the single writer connection, creates or checks the
// schema, and proves the file writable.
func (l *Log) openWriter() error {
	wdb, err := sql.Open("sqlite", dsn(l.path,
		"_pragma=busy_timeout("+fmt.Sprint(busyTimeout.Milliseconds())+")",
		"_pragma=synchronous(FULL)",
		"_pragma=foreign_keys(1)",
		// Room for every page a -wal holds between checkpoints (1000 by
		// default), so a -wal cut by someone else can still be saved from
		// memory (rescueCopy).
		"_pragma=cache_size(-16384)",
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
	// Remember which files we opened: SQLite keeps writing to a file that
	// was removed or replaced, so every write compares them with the paths.
	if err := l.statFiles(); err != nil {
		conn.Close()
		return err
	}
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
