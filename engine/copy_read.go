package engine

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// maxChunkBytes caps the memory of one chunk; with the read-ahead queue and
// the writers, a copy holds at most a few chunks.
const maxChunkBytes = 8 << 20

// chunk is one keyset chunk on its way from the reader to a writer.
type chunk struct {
	seq   int64 // 1-based over all runs of the job; committed in this order
	b     *Batch
	after []Value // the key before the chunk's first row (nil: from the start)
	last  []Value
	rows  int // rows read, or, for a chunk streamed (b nil), written
}

// pipeline runs the reader and the writers until the table is copied, an
// error is not worth retrying, or ctx ends.
func (tc *tableCopy) pipeline(parent context.Context) error {
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)
	tc.cond = sync.NewCond(&tc.mu)
	stop := context.AfterFunc(ctx, func() {
		tc.mu.Lock()
		tc.cond.Broadcast()
		tc.mu.Unlock()
	})
	defer stop()
	tc.free = make(chan *Batch, tc.opts.Writers+2)
	queue := make(chan *chunk, 1)

	from := tc.state.last // read before the writers start moving it
	go func() {
		if n, err := tc.src.Count(ctx, tc.st, from, tc.opts.Where); err == nil {
			tc.total.Store(tc.startRows + n)
		}
	}()
	var wg sync.WaitGroup
	wg.Add(1 + tc.opts.Writers)
	go func() {
		defer wg.Done()
		if err := tc.read(ctx, queue); err != nil {
			cancel(err)
		}
	}()
	for i := 0; i < tc.opts.Writers; i++ {
		go func() {
			defer wg.Done()
			if err := tc.write(ctx, queue); err != nil {
				cancel(err)
			}
		}()
	}
	wg.Wait()
	if err := parent.Err(); err != nil {
		return fmt.Errorf("copy %s: stopped: %w", tc.name, stopped(err))
	}
	if err := context.Cause(ctx); err != nil {
		return err
	}
	return nil
}

// read reads chunks in key order and queues them for the writers.
func (tc *tableCopy) read(ctx context.Context, out chan<- *chunk) error {
	defer close(out)
	var conn *sql.Conn
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	after := tc.state.last
	seq := tc.state.chunks + 1
	for {
		c := &chunk{seq: seq, after: after}
		var more bool
		p := retryPolicy{what: "copy read", budget: tc.opts.RetryFor, failed: dropConn(&conn),
			retrying: func(err error) { tc.retried(retryNote("reading", err)) }}
		err, stop := p.run(ctx, func() error {
			return withStall(ctx, tc.stallLimit(), tc.src.ident, func(ctx context.Context) error {
				return onConn(ctx, tc.src, &conn, func(conn *sql.Conn) (err error) {
					more, err = tc.readNext(ctx, conn, c)
					return err
				})()
			})
		})
		switch {
		case stop != nil:
			return stop
		case err != nil:
			return fmt.Errorf("copy %s: %w", tc.name, err)
		}
		if c.last == nil {
			return nil
		}
		if err := tc.opts.Control.Wait(ctx, c.rows); err != nil {
			return err
		}
		select {
		case out <- c:
		case <-ctx.Done():
			return ctx.Err()
		}
		seq++
		after = c.last
		if !more {
			return nil
		}
	}
}

// readNext reads chunk c, the rows after c.after, into a batch; or, when
// the rows are streamed, finds its last key only, counting the rows it
// aims at. c.last stays nil when no rows are left; more tells that rows
// may remain after the chunk.
func (tc *tableCopy) readNext(ctx context.Context, conn *sql.Conn, c *chunk) (more bool, err error) {
	n := tc.chunker.next()
	if tc.stream != nil {
		last, final, err := tc.cutChunk(ctx, conn, c.after, n)
		c.last, c.rows = last, n
		return !final, err
	}
	b := tc.batch()
	res, err := tc.src.ReadChunk(ctx, conn, Read{Table: tc.st, Cols: tc.cols, After: c.after, Where: tc.opts.Where,
		Limit: n, MaxBytes: maxChunkBytes}, b)
	if err != nil || res.Rows == 0 {
		return false, err
	}
	c.b, c.last, c.rows = b, res.Last, res.Rows
	return res.More, nil
}

// batch is a recycled batch, or a new one.
func (tc *tableCopy) batch() *Batch {
	select {
	case b := <-tc.free:
		b.Reset()
		return b
	default:
		return NewBatch(len(tc.cols))
	}
}
