package engine

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unsafe"
)

// Execer runs statements: a *sql.Tx, *sql.Conn or *sql.DB.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Upserter writes batches of rows as idempotent multi-row upserts: MySQL
// INSERT … ON DUPLICATE KEY UPDATE, SQLite INSERT … ON CONFLICT(key) DO
// UPDATE. Rows already present are overwritten with the new values, so
// writing the same batch twice leaves the same table. Never REPLACE (which
// deletes and fires delete triggers and cascades) nor INSERT IGNORE (which
// keeps stale rows and hides errors).
type Upserter struct {
	d      *DB
	prefix string // INSERT INTO t (cols) VALUES
	suffix string // ON DUPLICATE KEY UPDATE … / ON CONFLICT … DO UPDATE SET …
	// MaxStatement is the size in bytes at which a statement is sent.
	MaxStatement int
	buf          []byte
}

// NewUpserter prepares upserts into table name of d. cols are the column
// names in the order of the batches' columns; key names the key columns.
func (d *DB) NewUpserter(ctx context.Context, name string, cols, key []string) *Upserter {
	u := &Upserter{d: d}
	u.prefix = "INSERT INTO " + d.Quote(name) + " (" + d.quoteList(cols) + ") VALUES "
	var set []string
	for _, c := range cols {
		isKey := false
		for _, k := range key {
			if strings.EqualFold(c, k) {
				isKey = true
			}
		}
		if isKey {
			continue
		}
		q := d.Quote(c)
		if d.driver == MySQL {
			set = append(set, q+" = VALUES("+q+")")
		} else {
			set = append(set, q+" = excluded."+q)
		}
	}
	if len(set) == 0 { // every column is a key column: nothing to update
		q := d.Quote(key[0])
		if d.driver == MySQL {
			set = append(set, q+" = "+q)
		} else {
			set = append(set, q+" = excluded."+q)
		}
	}
	if d.driver == MySQL {
		u.suffix = " ON DUPLICATE KEY UPDATE " + strings.Join(set, ", ")
		// Statements of about 1 MiB keep the server's parser busy without
		// large packets; never above max_allowed_packet.
		u.MaxStatement = min(1<<20, d.packetLimit(ctx)/2)
	} else {
		u.suffix = " ON CONFLICT (" + d.quoteList(key) + ") DO UPDATE SET " + strings.Join(set, ", ")
		u.MaxStatement = 256 << 10
	}
	return u
}

// Write upserts every row of b through ex, in statements of about
// MaxStatement bytes.
func (u *Upserter) Write(ctx context.Context, ex Execer, b *Batch) error {
	n := b.Len()
	rows := 0
	u.buf = append(u.buf[:0], u.prefix...)
	for r := 0; r < n; r++ {
		if rows > 0 {
			u.buf = append(u.buf, ',')
		}
		u.buf = append(u.buf, '(')
		for c := 0; c < b.cols; c++ {
			if c > 0 {
				u.buf = append(u.buf, ',')
			}
			u.buf = u.d.AppendLiteral(u.buf, b.Value(r, c))
		}
		u.buf = append(u.buf, ')')
		rows++
		if len(u.buf) >= u.MaxStatement {
			if err := u.flush(ctx, ex); err != nil {
				return err
			}
			rows = 0
			u.buf = append(u.buf[:0], u.prefix...)
		}
	}
	if rows > 0 {
		return u.flush(ctx, ex)
	}
	return nil
}

func (u *Upserter) flush(ctx context.Context, ex Execer) error {
	u.buf = append(u.buf, u.suffix...)
	// The statement text is only read during the call; converting without a
	// copy saves one allocation of up to a megabyte per statement.
	q := unsafe.String(unsafe.SliceData(u.buf), len(u.buf))
	_, err := ex.ExecContext(ctx, q)
	return err
}

// Delete deletes the rows of t whose keys are in keys, in statements of at
// most 1000 keys.
func (d *DB) Delete(ctx context.Context, ex Execer, t *Table, keys [][]Value) (int64, error) {
	var total int64
	for len(keys) > 0 {
		n := min(len(keys), 1000)
		res, err := ex.ExecContext(ctx, "DELETE FROM "+d.Quote(t.Name)+" WHERE "+d.KeyIn(t, keys[:n]))
		if err != nil {
			return total, fmt.Errorf("delete %d keys from %s in %s: %w", n, t.Name, d, err)
		}
		if a, err := res.RowsAffected(); err == nil {
			total += a
		}
		keys = keys[n:]
	}
	return total, nil
}
