package engine

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// A batch of a catch-up spends most of its time in the target's upserts, one
// row at a time on the server. On a MySQL target a large batch is therefore
// written by several connections at once, each a contiguous stretch of the
// batch's keys in its own transaction, and the position is committed after
// them. Keys are unique within a batch (it is de-duplicated) and each is
// either upserted or deleted, so the stretches never touch the same row.
// A failure between the rows and the position replays the batch from the
// stored position: the rows are re-read from the source and written again,
// which leaves the target as the source is, so no change is lost or applied
// out of order.

// parallelMinRows is the smallest batch written by several connections;
// smaller ones go in one transaction with their position.
const parallelMinRows = 512

// defaultCatchupWriters is CatchupOptions.Writers' default on a MySQL target.
const defaultCatchupWriters = 2

// tableWrite is one table's share of a batch: rows to upsert and keys to delete.
type tableWrite struct {
	t   *catchupTable
	b   *Batch
	del [][]Value
}

// writers is the number of connections that write a batch of rows rows.
func (c *catchup) writers(rows int) int {
	if !c.dst.dialect.parallelWrites() || rows < parallelMinRows {
		return 1
	}
	return max(c.opts.Writers, 1)
}

// writeParts commits writes in n transactions of their own, in parallel.
func (c *catchup) writeParts(ctx context.Context, writes []tableWrite, n int) error {
	parts := make([][]tableWrite, n)
	for _, w := range writes {
		for i, p := range splitWrite(w, n) {
			parts[i] = append(parts[i], p)
		}
	}
	for i, part := range parts { // prepare before any transaction holds locks
		for _, w := range part {
			if err := w.t.upserter(ctx, c.dst, i).Ready(ctx, w.b); err != nil {
				return fmt.Errorf("write %s in %s: %w", w.t.dt.Name, c.dst, err)
			}
		}
	}
	// Moved unique values are cleared first, in a transaction of their own:
	// cleared by the parts, each would delete rows the other writes, and
	// they would deadlock. Clearing without the batch is safe: the stale
	// rows are written again by the batch or a later one (see unique_moves.go).
	if err := c.clearMovesFirst(ctx, writes); err != nil {
		return err
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, part := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = c.writePart(ctx, part, i)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// writePart commits one stretch of rows with writer i's upserters.
func (c *catchup) writePart(ctx context.Context, part []tableWrite, i int) error {
	tx, err := c.begin(ctx, i)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, w := range part {
		if _, err := c.dst.Delete(ctx, tx, w.t.dt, w.del); err != nil {
			return err
		}
		if w.b.Len() > 0 {
			if err := w.t.ups[i].Write(ctx, tx, w.b); err != nil {
				return fmt.Errorf("write %s in %s: %w", w.t.dt.Name, c.dst, err)
			}
		}
		if err := c.dst.checkLanded(ctx, tx, w.t.dt, w.t.colNames, w.t.keyNames, w.b); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit to %s: %w", c.dst, err)
	}
	return nil
}

// splitWrite cuts w into n contiguous stretches of its rows (read in key
// order) and of its deleted keys.
func splitWrite(w tableWrite, n int) []tableWrite {
	out := make([]tableWrite, n)
	rows, dels := w.b.Len(), len(w.del)
	var row []Value
	for i := range out {
		b := NewBatch(w.b.Cols())
		for r := i * rows / n; r < (i+1)*rows/n; r++ {
			row = w.b.Row(row[:0], r)
			for _, v := range row {
				b.Add(v)
			}
		}
		out[i] = tableWrite{t: w.t, b: b, del: w.del[i*dels/n : (i+1)*dels/n]}
	}
	return out
}

// upserter is writer i's upserter for the table, made on first use.
func (t *catchupTable) upserter(ctx context.Context, dst *DB, i int) *Upserter {
	for len(t.ups) <= i {
		t.ups = append(t.ups, dst.NewUpserter(ctx, t.dt, t.colNames, t.keyNames))
	}
	return t.ups[i]
}

// clearMovesFirst clears the batch's moved unique values on writer 0.
func (c *catchup) clearMovesFirst(ctx context.Context, writes []tableWrite) error {
	tx, err := c.begin(ctx, 0)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, w := range writes {
		if _, err := c.dst.clearUniqueMoves(ctx, tx, w.t.dt, w.t.colNames, w.t.keyNames, w.b, moveOrigin{c.src, w.t.st}); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// begin opens a transaction on writer i's connection.
func (c *catchup) begin(ctx context.Context, i int) (*sql.Tx, error) {
	conn, err := c.wconns[i].get(ctx)
	if err != nil {
		return nil, fmt.Errorf("write to %s: %w", c.dst, err)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("write to %s: %w", c.dst, err)
	}
	return tx, nil
}
