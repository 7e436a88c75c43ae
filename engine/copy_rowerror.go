package engine

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strings"
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
	msg := err.Error()
	for _, own := range []func(error) string{mysqlServerText, postgresServerText} {
		if m := own(err); m != "" {
			msg = m
		}
	}
	return atRow.ReplaceAllString(msg, "")
}

// qualified names table as a reader finds it: shop.orders on MySQL.
func (d *DB) qualified(table string) string {
	if s := d.dialect.qualifier(d); s != "" {
		return s + "." + table
	}
	return table
}

// failedRow finds the row of c whose write fails and returns an error
// naming the table being written and that row's key (see failingRow).
func (tc *tableCopy) failedRow(ctx context.Context, up *Upserter, c *chunk, cause error) error {
	where := "copy " + tc.dst.qualified(tc.dt.Name)
	err := tc.inSideTx(ctx, false, func(tx *sql.Tx) error {
		return failingRow(ctx, tx, up, c.b, where, func(r int) string { return rowKey(c.b, r, tc.keyNames, tc.keyPos()) }, cause)
	})
	var failure *rowFailure
	if errors.As(err, &failure) {
		return err
	}
	return &rowFailure{where + ": " + serverText(cause), cause} // the row could not be looked for
}

// failingRow writes ever smaller halves of b in tx (which the caller rolls
// back) to find the row whose write fails, and returns an error naming
// where and the row's key. Rows before the failing one are kept under a
// savepoint while the search goes on, so each row is written about once.
// When every row fails alike, the batch's key range is named instead.
func failingRow(ctx context.Context, tx *sql.Tx, up *Upserter, b *Batch, where string, key func(int) string, cause error) error {
	n := b.Len()
	lo, hi := 0, n // rows [0,lo) are written; [lo,hi) fails on top of them
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		err := probe(ctx, tx, up, b, lo, mid)
		if err == nil {
			lo = mid
			continue
		}
		if Transient(err) || ctx.Err() != nil {
			return &rowFailure{where + ": " + serverText(cause), cause}
		}
		hi, cause = mid, err
	}
	err := probe(ctx, tx, up, b, lo, hi)
	if lo == 0 && n > 1 && err != nil && probe(ctx, tx, up, b, n-1, n) != nil {
		err = nil // the last row fails on its own too: not a row's fault
	}
	if err != nil && !Transient(err) {
		return &rowFailure{where + ": row " + key(lo) + ": " + serverText(err), err}
	}
	return &rowFailure{where + ": writing rows " + key(0) + " through " + key(n-1) + ": " + serverText(cause), cause}
}

// probe writes rows [from, to) of b in tx under a savepoint, which it keeps
// when they are written and rolls back when they fail.
func probe(ctx context.Context, tx *sql.Tx, up *Upserter, b *Batch, from, to int) error {
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

// keyPos are the batch positions of the key columns, in key order.
func (tc *tableCopy) keyPos() []int {
	var pos []int
	for _, k := range tc.st.Key {
		for p, col := range tc.cols {
			if col == k {
				pos = append(pos, p)
			}
		}
	}
	return pos
}

// rowKey is the key of row r of b as "id=42" or "(a=1, b=x)".
func rowKey(b *Batch, r int, names []string, pos []int) string {
	texts := make([]string, len(pos))
	for i, p := range pos {
		texts[i] = b.Value(r, p).Text()
	}
	return namedKey(names, texts)
}

// namedKey is a key of the columns names with the values texts, as
// "id=42" or "(a=1, b=x)".
func namedKey(names, texts []string) string {
	parts := make([]string, len(texts))
	for i, t := range texts {
		parts[i] = names[i] + "=" + t
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, ", ") + ")"
}
