package audit

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

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
