package engine

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// rowStreamer is a dialect that moves rows from one of its databases to
// another in the servers' own format, without runway reading the values.
type rowStreamer interface {
	// streamRows writes the rows query selects on from into into (a
	// quoted table and column list) on to, in the transaction open there,
	// and counts them.
	streamRows(ctx context.Context, from, to *sql.Conn, query, into string) (int64, error)
}

// streamer is how the table's chunks go from source to target without
// being read into batches: both sides of a dialect that can stream, a
// target that held none of the copied keys when the copy began (a stream
// loads, it cannot upsert), and every copied column of the same type on
// both sides, so that the target reads back the very value the source
// printed. nil when the rows go through batches.
func (tc *tableCopy) streamer() rowStreamer {
	s, ok := tc.src.dialect.(rowStreamer)
	if !ok || !sameDialect(tc.src, tc.dst) || !tc.fresh || tc.opts.batched {
		return nil
	}
	for i, c := range tc.cols {
		dc := tc.dt.Column(tc.names[i])
		if dc == nil || !strings.EqualFold(tc.st.Columns[c].Type, dc.Type) {
			return nil
		}
	}
	return s
}

// cutChunk finds the bounds of the next chunk of about n rows after after:
// the key of the n-th row, or of the last one when fewer remain (final).
// The rows themselves are read when the chunk is written. nil when no rows
// are left.
func (tc *tableCopy) cutChunk(ctx context.Context, conn *sql.Conn, after []Value, n int) (through []Value, final bool, err error) {
	through, err = nthKey(ctx, tc.src, conn, tc.st, after, tc.opts.Where, n)
	if err != nil || through != nil {
		return through, false, err
	}
	through, err = lastKey(ctx, tc.src, conn, tc.st, after, tc.opts.Where)
	return through, true, err
}

// lastKey is the greatest key of t after after (nil = any) matching where;
// nil when there is none.
func lastKey(ctx context.Context, d *DB, conn *sql.Conn, t *Table, after []Value, where string) ([]Value, error) {
	desc := d.keyNames(t)
	for i := range desc {
		desc[i] += " DESC"
	}
	q := "SELECT " + d.selectList(t, t.Key) + " FROM " + d.Quote(t.Name) + rangeWhere(d, t, after, nil, where) +
		" ORDER BY " + strings.Join(desc, ", ") + " LIMIT 1"
	k, err := firstKey(ctx, d, conn, t, q)
	if err != nil {
		return nil, fmt.Errorf("find the last key of %s in %s: %w", t.Name, d, err)
	}
	return k, nil
}

// streamChunk writes the rows of chunk c, (c.after, c.last], on conn
// straight from a source connection, and counts them into c.rows.
func (tc *tableCopy) streamChunk(ctx context.Context, conn *sql.Conn, up *Upserter, c *chunk) error {
	src, err := tc.src.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer src.Close()
	names := make([]string, len(tc.cols))
	for i, col := range tc.cols {
		names[i] = tc.src.Quote(tc.st.Columns[col].Name)
	}
	q := "SELECT " + strings.Join(names, ", ") + " FROM " + tc.src.Quote(tc.st.Name) +
		rangeWhere(tc.src, tc.st, c.after, c.last, tc.opts.Where) + " ORDER BY " + tc.src.OrderBy(tc.st)
	rows, err := tc.stream.streamRows(ctx, src, conn, q, up.copyTarget())
	c.rows = int(rows)
	return err
}

// streamFailure names the row of streamed chunk c that the target refused
// with cause. It reads the chunk's rows a batch of at most maxChunkBytes at
// a time, as the batched path would have sent them, and writes each in a
// transaction it rolls back: the first batch refused is searched for the
// row (see failedRow). When every batch passes on its own, the error names
// the chunk.
func (tc *tableCopy) streamFailure(ctx context.Context, up *Upserter, c *chunk, cause error) error {
	chunkErr := fmt.Errorf("copy %s: write chunk %d: %w", tc.name, c.seq, cause)
	after := c.after
	for {
		b := NewBatch(len(tc.cols))
		res, err := tc.src.ReadChunk(ctx, nil, Read{Table: tc.st, Cols: tc.cols, After: after, Through: c.last,
			Where: tc.opts.Where, MaxBytes: maxChunkBytes}, b)
		if err != nil || res.Rows == 0 {
			return chunkErr
		}
		if err := tc.refused(ctx, up, b); err != nil && !Transient(err) {
			return tc.failedRow(ctx, up, &chunk{seq: c.seq, b: b, after: after, last: res.Last, rows: res.Rows}, err)
		}
		if !res.More {
			return chunkErr
		}
		after = res.Last
	}
}

// refused writes b in a transaction that it rolls back, and returns the
// write's error.
func (tc *tableCopy) refused(ctx context.Context, up *Upserter, b *Batch) error {
	return tc.inSideTx(ctx, false, func(tx *sql.Tx) error { return up.Write(ctx, tx, b) })
}

// inSideTx runs f in a transaction on a connection of its own, set up as
// the copy's writers are, and commits it when commit is set and f
// succeeds; it rolls it back otherwise.
func (tc *tableCopy) inSideTx(ctx context.Context, commit bool, f func(*sql.Tx) error) error {
	conn, err := tc.dst.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer discardConn(conn) // its session is a writer's
	if err := tc.dst.writerSession(ctx, conn, tc.indexed(), utf8Target(tc.dt, tc.names)); err != nil {
		return err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := f(tx); err != nil || !commit {
		return err
	}
	return tx.Commit()
}
