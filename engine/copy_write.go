package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// errRestart tells a writer that a chunk before its own failed after it had
// started: it rolls back and writes its chunk again behind the failed one.
var errRestart = errors.New("restart behind an earlier chunk")

// write upserts queued chunks until the queue is closed.
func (tc *tableCopy) write(ctx context.Context, in <-chan *chunk) error {
	wc := &writerConn{d: tc.dst, prepare: func(ctx context.Context, conn *sql.Conn) error {
		return tc.dst.writerSession(ctx, conn, tc.indexed(), utf8Target(tc.dt, tc.names))
	}}
	defer wc.drop(nil)
	up := tc.dst.NewUpserter(ctx, tc.dt, tc.names, tc.keyNames)
	defer up.Close()
	if tc.fresh {
		// No key of a chunk can be there before it commits, so a row that
		// meets another on a key of the target is refused, not merged into
		// it: MySQL's upsert takes a clash on any unique key for the same row.
		up.suffix = ""
	}
	if tc.opts.preparedRows > 0 && up.PreparedRows > 0 {
		up.PreparedRows = tc.opts.preparedRows
	}
	for c := range in {
		if err := tc.writeChunk(ctx, wc, up, c); err != nil {
			return err
		}
		if c.b != nil {
			select {
			case tc.free <- c.b:
			default:
			}
		}
	}
	return ctx.Err()
}

// writeChunk writes one chunk, retrying transient errors with backoff.
func (tc *tableCopy) writeChunk(ctx context.Context, wc *writerConn, up *Upserter, c *chunk) error {
	p := retryPolicy{what: "copy write", budget: tc.opts.RetryFor,
		retrying: func(err error) {
			tc.markFailed(c.seq)
			tc.retried(retryNote(fmt.Sprintf("writing chunk %d", c.seq), err))
		}}
	cleared := false
	err, stop := p.run(ctx, func() error {
		for {
			if err := tc.waitClear(ctx, c.seq); err != nil {
				return err
			}
			// rolled back on a healthy connection: keep it, not a failure
			err := tc.tryChunk(ctx, wc, up, c)
			if !cleared && tc.movedValueClash(err, c) {
				cleared = true
				n, cerr := tc.clearMoved(ctx, c)
				if cerr != nil {
					return cerr
				}
				if n > 0 {
					continue // written again over the rows cleared
				}
			}
			if !errors.Is(err, errRestart) {
				if err != nil {
					wc.drop(err) // after a stall, the next connection ends its session, whose locks would hold up the retry
				}
				return err
			}
		}
	})
	switch {
	case err == nil:
		return nil
	case stop != nil:
		return stop
	case isClearStop(err):
		return fmt.Errorf("copy %s: %w", tc.name, err) // nothing of the chunk was written
	case !Transient(err):
		if c.b == nil {
			return tc.streamFailure(ctx, up, c, err)
		}
		return tc.failedRow(ctx, up, c, err)
	}
	return fmt.Errorf("copy %s: write chunk %d: %w", tc.name, c.seq, err)
}

// tryChunk writes c in one transaction on the target, waits until every
// earlier chunk is committed, then records the checkpoint in the same
// transaction and commits. The round trips run under a stall watch: a
// target that stops answering breaks the connection, and the transaction
// with the chunk and its checkpoint is never committed. Waiting for the
// turn is not watched.
func (tc *tableCopy) tryChunk(ctx context.Context, wc *writerConn, up *Upserter, c *chunk) error {
	w := newStallWatch(ctx, tc.stallLimit(), tc.dst.ident)
	return w.done(ctx, tc.writeWatched(ctx, w, wc, up, c))
}

func (tc *tableCopy) writeWatched(ctx context.Context, w *stallWatch, wc *writerConn, up *Upserter, c *chunk) error {
	rt := w.ctx // for round trips
	conn, err := wc.get(rt)
	if err != nil {
		return err
	}
	if c.b != nil {
		if err := up.Ready(rt, c.b); err != nil {
			return err
		}
	}
	tx, err := conn.BeginTx(rt, nil)
	if err != nil {
		return err
	}
	t0 := time.Now()
	if err := tc.writeRows(rt, conn, tx, up, c); err != nil {
		tx.Rollback()
		return err
	}
	took := time.Since(t0)
	w.pause()
	if err := tc.waitTurn(ctx, c.seq); err != nil {
		tx.Rollback()
		return err
	}
	w.resume()
	// This writer holds the turn: every earlier chunk is committed and no
	// later one can commit, so tc.state is stable.
	st := tc.state
	st.found, st.last, st.rows, st.chunks = true, c.last, st.rows+int64(c.rows), c.seq
	if err := saveCheckpoint(rt, tc.dst, tx, tc.opts.Job, tc.name, st); err != nil {
		tx.Rollback()
		return err
	}
	err = tx.Commit()
	if err == nil && tc.opts.commitHook != nil {
		err = tc.opts.commitHook(c.seq)
	}
	// The commit may have landed before the connection broke or stalled:
	// the checkpoint, written in the same transaction, tells.
	if err != nil && !tc.landed(ctx, c.seq) {
		return err
	}
	tc.committed(c, st, took)
	return nil
}

// writeRows writes c's rows in tx, open on conn: loaded in bulk into a
// target that held none of the copied keys when the copy began (every
// chunk commits with its checkpoint, so a chunk not yet committed has no
// rows there), upserted otherwise, so that a rerun overwrites.
func (tc *tableCopy) writeRows(ctx context.Context, conn *sql.Conn, tx *sql.Tx, up *Upserter, c *chunk) error {
	if c.b == nil {
		return tc.streamChunk(ctx, conn, up, c)
	}
	if tc.fresh {
		if ok, err := tc.dst.dialect.loadRows(ctx, conn, up, c.b); ok {
			return err
		}
	}
	return up.Write(ctx, tx, c.b)
}

// landed reports whether the chunk with sequence seq is committed.
func (tc *tableCopy) landed(ctx context.Context, seq int64) bool {
	var cp checkpointState
	err := retrySetup(ctx, tc.opts.RetryFor, func() error {
		return withStall(ctx, tc.stallLimit(), tc.dst.ident, func(ctx context.Context) (err error) {
			cp, err = loadCheckpoint(ctx, tc.dst, tc.dst.db, tc.opts.Job, tc.name)
			return err
		})
	})
	return err == nil && cp.chunks >= seq
}

// committed records a committed chunk, tells the callbacks, and passes the
// turn on. It runs while the writer still holds the turn, so callbacks see
// chunks in commit order.
func (tc *tableCopy) committed(c *chunk, st checkpointState, took time.Duration) {
	tc.mu.Lock()
	tc.state = st
	tc.chunks++
	if tc.failed == c.seq {
		tc.failed = 0
	}
	rate := tc.meter.Add(st.rows)
	total := max(tc.total.Load(), st.rows)
	p := Progress{Done: st.rows, Total: total, RowsPerSec: rate, ETA: tc.meter.ETA(st.rows, total)}
	tc.mu.Unlock()

	if tc.opts.OnCheckpoint != nil {
		tc.opts.OnCheckpoint(st.public(tc.opts.Job, tc.name))
	}
	tc.report(p)
	bytes := 0
	if c.b != nil {
		bytes = c.b.Size()
	}
	tc.chunker.adapt(c.rows, bytes, took)

	tc.mu.Lock()
	tc.next = c.seq + 1
	if tc.cond != nil {
		tc.cond.Broadcast()
	}
	tc.mu.Unlock()
}

// waitTurn waits until chunk seq may commit, or tells it to restart because
// an earlier chunk failed after it started.
func (tc *tableCopy) waitTurn(ctx context.Context, seq int64) error {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if tc.failed != 0 && tc.failed < seq {
			return errRestart
		}
		if tc.next == seq {
			return nil
		}
		tc.cond.Wait()
	}
}

// waitClear waits while an earlier chunk than seq is being retried, so that
// a retry never competes with later chunks' locks.
func (tc *tableCopy) waitClear(ctx context.Context, seq int64) error {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	for tc.failed != 0 && tc.failed < seq {
		if err := ctx.Err(); err != nil {
			return err
		}
		tc.cond.Wait()
	}
	return ctx.Err()
}

func (tc *tableCopy) markFailed(seq int64) {
	tc.mu.Lock()
	if tc.failed == 0 || seq < tc.failed {
		tc.failed = seq
	}
	tc.cond.Broadcast()
	tc.mu.Unlock()
}

// indexed reports whether the target table keeps secondary indexes while
// rows arrive: not when the copy created it and defers them.
func (tc *tableCopy) indexed() bool {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	return len(tc.state.pending) == 0
}

// writerSession prepares a target connection for bulk writing.
func (d *DB) writerSession(ctx context.Context, conn *sql.Conn, indexed, rawText bool) error {
	return d.dialect.writerSession(ctx, conn, indexed, rawText)
}

// utf8Target reports whether every column written to dt stores text as
// UTF-8 or bytes, so that values can be sent without conversion.
func utf8Target(dt *Table, names []string) bool {
	for _, n := range names {
		c := dt.Column(n)
		if c == nil || c.Family == FamJSON { // MySQL 8 refuses JSON from a binary string
			return false
		}
		if c.Family == FamText && c.Charset == "" {
			// a MariaDB type of its own (UUID, INET4, INET6): it takes a
			// binary string of its storage size as its raw form, so
			// 'fe80::11:1001:11', 16 bytes, would be stored as another
			// address; sent as text, it is parsed
			return false
		}
		switch c.Charset {
		case "", "utf8mb4", "utf8mb3", "utf8", "binary":
		default:
			return false
		}
	}
	return true
}
