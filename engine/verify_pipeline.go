package engine

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"github.com/dustin/go-humanize"
)

// vchunk is one key range (after, through] of a table; through nil = open.
type vchunk struct {
	seq            int
	after, through []Value
	src            *Batch // MethodRows: the source rows, already read
	rows           int    // source rows: read (MethodRows), counted, or expected in a span
	skipped        bool   // left out by the sample
}

// vout is a chunk's outcome.
type vout struct {
	c                vchunk
	srcRows, dstRows int64
	differing        bool
	diffs            []RowDiff
	err              error
}

// pipeline cuts the table into chunks (one producer, in key order), checks
// opts.Workers chunks at a time, and folds the outcomes in chunk order.
func (tv *tableVerify) pipeline(parent context.Context) error {
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)
	tv.free = make(chan *Batch, tv.opts.Workers+2)
	work := make(chan vchunk, tv.opts.Workers)
	out := make(chan vout, tv.opts.Workers)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(work)
		if err := tv.produce(ctx, work); err != nil {
			cancel(err)
		}
	}()
	var wwg sync.WaitGroup
	for range tv.opts.Workers {
		wwg.Add(1)
		go func() {
			defer wwg.Done()
			w := &verifyWorker{tv: tv}
			defer w.close()
			for c := range work {
				o := w.check(ctx, c)
				select {
				case out <- o:
				case <-ctx.Done():
					return
				}
				if o.err != nil {
					cancel(o.err)
					return
				}
			}
		}()
	}
	go func() {
		wwg.Wait()
		close(out)
	}()

	pending := map[int]vout{}
	next := 1
	for o := range out {
		if o.err != nil {
			continue
		}
		pending[o.c.seq] = o
		for {
			p, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			tv.fold(p)
		}
	}
	wg.Wait()
	if err := parent.Err(); err != nil {
		return err
	}
	if err := context.Cause(ctx); err != nil && err != context.Canceled {
		return err
	}
	return nil
}

// fold adds a chunk's outcome to the table's result, in chunk order.
func (tv *tableVerify) fold(o vout) {
	tv.mu.Lock()
	tv.res.Chunks++
	if o.c.skipped {
		tv.done += int64(o.c.rows)
	} else {
		tv.res.ChunksChecked++
		tv.res.Rows += o.srcRows
		tv.res.TargetRows += o.dstRows
		tv.done += o.srcRows
		if o.differing {
			tv.res.ChunksDiffering++
		}
		tv.keep(o.diffs)
		if tv.spans != nil {
			tv.spans.observe(o.c.after, o.c.through, o.srcRows)
		}
	}
	n := len(tv.diffs) + int(tv.overflow)
	tv.mu.Unlock()
	note := ""
	if n > 0 {
		note = humanize.Comma(int64(n)) + " differences so far"
	}
	tv.report(note)
	if o.c.through != nil {
		tv.checkpoint(o.c.through, false)
	}
}

// Chunk sizes. Checksummed on the servers, a chunk costs a query on each
// side whatever its size, and a differing one is narrowed by its rows'
// hashes alone (tens of bytes a row): the dialect picks a size between
// rowsChunkRows and serverChunkRows (serverChecksum.chunkRows). Read by
// runway, a chunk's rows are held whole on both sides.
const (
	serverChunkRows = 100_000
	rowsChunkRows   = 10_000
)

// chunkRows is the number of source rows per chunk.
func (tv *tableVerify) chunkRows(ctx context.Context) int {
	if tv.opts.ChunkRows > 0 {
		return tv.opts.ChunkRows
	}
	return defaultChunkRows(ctx, tv.src, tv.st.Name, tv.method == MethodServer)
}

// defaultChunkRows is the number of source rows per chunk of table name
// when none is asked for: the source's dialect picks it when the servers
// checksum the rows.
func defaultChunkRows(ctx context.Context, src *DB, name string, server bool) int {
	if server {
		return src.dialect.checksums().chunkRows(ctx, src, name)
	}
	return rowsChunkRows
}

// produce cuts chunks on the source in key order.
func (tv *tableVerify) produce(ctx context.Context, work chan<- vchunk) error {
	var conn *sql.Conn
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	n := tv.chunkRows(ctx)
	if tv.method == MethodServer {
		err := tv.retry(ctx, "read key range", "reading the key range", &conn, tv.src, func(ctx context.Context, conn *sql.Conn) (err error) {
			tv.spans, err = newSpanCutter(ctx, tv.src, conn, tv.st, n)
			return err
		})
		if err != nil {
			return err
		}
		if tv.opts.spanCutter != nil && tv.spans != nil {
			tv.opts.spanCutter(tv.spans)
		}
	}
	var after []Value
	for seq := 1; ; seq++ {
		c := vchunk{seq: seq, after: after, rows: n, skipped: !tv.samp.pick(seq - 1)}
		if err := tv.cut(ctx, &conn, &c); err != nil {
			return err
		}
		select {
		case work <- c:
		case <-ctx.Done():
			return ctx.Err()
		}
		if c.through == nil {
			return nil
		}
		after = c.through
	}
}

// cut finds the upper bound of chunk c, which starts after c.after: by key
// span where it can, else by counting c.rows rows on the source (and, for
// MethodRows, reading them).
func (tv *tableVerify) cut(ctx context.Context, conn **sql.Conn, c *vchunk) error {
	if tv.spans != nil {
		if through, rows, ok := tv.spans.next(c.after); ok {
			c.through, c.rows = through, int(rows)
			tv.spans.cut++
			return nil
		}
		tv.spans.counted++
	}
	n := c.rows
	doing := fmt.Sprintf("reading chunk %d", c.seq)
	return tv.retry(ctx, "cut chunk", doing, conn, tv.src, func(ctx context.Context, conn *sql.Conn) error {
		if tv.method == MethodServer {
			k, err := nthKey(ctx, tv.src, conn, tv.st, c.after, tv.opts.Where, n)
			c.through = k
			return err
		}
		// Rows: read the chunk's source rows (only the key when sampled out).
		cols := tv.scols
		if c.skipped {
			cols = tv.st.Key
		}
		b := tv.batch(len(cols))
		res, err := tv.src.ReadChunk(ctx, conn, Read{Table: tv.st, Cols: cols, After: c.after, Where: tv.opts.Where, Limit: n}, b)
		if err != nil {
			return err
		}
		c.rows = res.Rows
		if res.More {
			c.through = res.Last
		}
		if c.skipped {
			tv.release(b)
		} else {
			c.src = b
		}
		return nil
	})
}

// batch returns a batch of cols columns for source rows, reusing one a
// worker has finished with.
func (tv *tableVerify) batch(cols int) *Batch {
	select {
	case b := <-tv.free:
		if b.Cols() == cols {
			b.Reset()
			return b
		}
	default:
	}
	return NewBatch(cols)
}

// release hands a batch back for reuse.
func (tv *tableVerify) release(b *Batch) {
	select {
	case tv.free <- b:
	default:
	}
}

// retry runs f on a connection of d, reopening it and retrying with backoff
// on transient errors for up to opts.RetryFor. Every step it retries only
// reads, so a retry can neither lose nor count a row twice. Each attempt
// runs under a stall watch: a link that stops answering is given up and
// retried, the note saying it happened while doing.
func (tv *tableVerify) retry(ctx context.Context, what, doing string, conn **sql.Conn, d *DB, f func(context.Context, *sql.Conn) error) error {
	p := retryPolicy{what: "verify " + what, budget: tv.opts.RetryFor, failed: dropConn(conn),
		retrying: func(err error) {
			if note, ok := stallNote(err); ok {
				tv.report(note)
				return
			}
			tv.report(fmt.Sprintf("retrying %s after: %s", what, shortErr(err)))
		}}
	err, stop := p.run(ctx, func() error {
		return withStallDoing(ctx, stallLimitOr(tv.opts.stallAfter), d.ident, doing, func(ctx context.Context) error {
			return onConn(ctx, d, conn, func(c *sql.Conn) error { return f(ctx, c) })()
		})
	})
	switch {
	case err == nil:
		return nil
	case stop != nil:
		return stop
	}
	return fmt.Errorf("verify %s: %s: %w", tv.name, what, err)
}
