package engine

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strings"

	"github.com/go-sql-driver/mysql"
)

// rowFailure is a write error pinned to one row: it names the table runway
// was writing and the row's key, whatever table or batch position the
// server's message names.
type rowFailure struct {
	msg string
	err error
}

func (e *rowFailure) Error() string { return e.msg }
func (e *rowFailure) Unwrap() error { return e.err }

// atRow is the server's position of a row in a multi-row statement, which
// means nothing to the reader.
var atRow = regexp.MustCompile(` at row [0-9]+`)

// serverText is err's message without the batch position.
func serverText(err error) string {
	var me *mysql.MySQLError
	msg := err.Error()
	if errors.As(err, &me) {
		msg = me.Message
	}
	return atRow.ReplaceAllString(msg, "")
}

// qualified names table as a reader finds it: shop.orders on MySQL.
func (d *DB) qualified(table string) string {
	if d.driver == MySQL {
		if i := strings.LastIndexByte(d.ident, '/'); i >= 0 {
			return d.ident[i+1:] + "." + table
		}
	}
	return table
}

// failedRow finds the row of c whose write fails, by writing ever smaller
// halves of the chunk in a transaction that is rolled back, and returns an
// error naming its key. Rows before the failing one are kept under a
// savepoint while the search goes on, so each row is written about once.
// When no single row fails on its own, the chunk's key range is named.
func (tc *tableCopy) failedRow(ctx context.Context, up *Upserter, c *chunk, cause error) error {
	where := "copy " + tc.dst.qualified(tc.dt.Name)
	conn, err := tc.dst.db.Conn(ctx)
	if err != nil {
		return &rowFailure{where + ": " + serverText(cause), cause}
	}
	defer closeWriter(conn)
	if err := tc.dst.writerSession(ctx, conn, tc.indexed(), utf8Target(tc.dt, tc.names)); err != nil {
		return &rowFailure{where + ": " + serverText(cause), cause}
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return &rowFailure{where + ": " + serverText(cause), cause}
	}
	defer tx.Rollback()
	n := c.b.Len()
	lo, hi := 0, n // rows [0,lo) are written; [lo,hi) fails on top of them
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		err := tc.probe(ctx, tx, up, c.b, lo, mid)
		if err == nil {
			lo = mid
			continue
		}
		if Transient(err) || ctx.Err() != nil {
			return &rowFailure{where + ": " + serverText(cause), cause}
		}
		hi, cause = mid, err
	}
	err = tc.probe(ctx, tx, up, c.b, lo, hi)
	if lo == 0 && n > 1 && err != nil && tc.probe(ctx, tx, up, c.b, n-1, n) != nil {
		err = nil // the last row fails on its own too: not a row's fault
	}
	if err != nil && !Transient(err) {
		return &rowFailure{where + ": row " + tc.keyText(c.b, lo) + ": " + serverText(err), err}
	}
	return &rowFailure{where + ": writing rows " + tc.keyText(c.b, 0) + " through " + tc.keyText(c.b, n-1) + ": " + serverText(cause), cause}
}

// probe writes rows [from, to) of b in tx under a savepoint, which it keeps
// when they are written and rolls back when they fail.
func (tc *tableCopy) probe(ctx context.Context, tx *sql.Tx, up *Upserter, b *Batch, from, to int) error {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT runway_probe"); err != nil {
		return err
	}
	part := NewBatch(b.cols)
	for r := from; r < to; r++ {
		for col := 0; col < b.cols; col++ {
			part.Add(b.Value(r, col))
		}
	}
	werr := up.Write(ctx, tx, part)
	if werr != nil {
		if _, err := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT runway_probe"); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT runway_probe"); err != nil {
		return err
	}
	return werr
}

// keyText is the key of row r of b as "id=42" or "a=1, b=x".
func (tc *tableCopy) keyText(b *Batch, r int) string {
	var parts []string
	for i, k := range tc.st.Key {
		for pos, col := range tc.cols {
			if col == k {
				parts = append(parts, tc.keyNames[i]+"="+b.Value(r, pos).Text())
			}
		}
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, ", ") + ")"
}
