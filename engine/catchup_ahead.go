package engine

import (
	"context"
	"database/sql"
	"time"
)

// Read-ahead: while a full batch is written to the target, the next one is
// read from the source (its log rows, then its rows re-read) on a source
// connection of its own, so that the two servers work at the same time.
// The next batch starts at the position the batch being written stores, so
// it is used only once that batch has committed; otherwise it is dropped
// and read again. Its rows are re-read after its log rows, as without
// read-ahead, and written after the batch before it, so a row's last write
// is still its newest read. A failed read-ahead is dropped too: the batch is
// then read again on the main source connection, with its retries.

// ready is a batch read from the log and gathered, with the position it
// moves to.
type ready struct {
	fresh   int   // new log rows
	skipped int64 // ids given up on as rolled back
	pos     LogPosition
	g       gathered
}

// ahead is a batch being read ahead.
type ahead struct {
	after int64 // valid once this many batches have committed
	r     ready
	err   error
	done  chan struct{}
}

// readFrom reads the log after from and gathers the new rows.
func (c *catchup) readFrom(ctx context.Context, conn *sql.Conn, from LogPosition) (ready, error) {
	entries, checked, err := c.log.read(ctx, conn, &from, c.opts.Batch)
	if err != nil {
		return ready{}, err
	}
	r := ready{pos: from.Clone()}
	now := time.Now()
	fresh := r.pos.seenOf(entries, now)
	// the gaps about to be given up that the read did not look at get a last look
	late, err := c.log.readRanges(ctx, conn, r.pos.expiring(now, c.opts.GapTimeout, checked))
	if err != nil {
		return ready{}, err
	}
	fresh = append(fresh, r.pos.seenOf(late, now)...)
	r.fresh, r.skipped = len(fresh), r.pos.Expire(now, c.opts.GapTimeout)
	if r.fresh == 0 && r.skipped == 0 {
		return r, nil
	}
	r.g, err = c.gather(ctx, conn, fresh)
	return r, err
}

// startAhead reads the batch after from in the background, on its own
// connection and under its own stall watch: a stalled read-ahead fails, and
// the batch is read again on the main connection.
func (c *catchup) startAhead(ctx context.Context, from LogPosition) {
	a := &ahead{after: c.commits + 1, done: make(chan struct{})}
	from = from.Clone()
	go func() {
		defer close(a.done)
		a.err = c.watch(ctx, c.src, readingLog, func(ctx context.Context) error {
			if c.aconn == nil {
				conn, err := c.src.db.Conn(ctx)
				if err != nil {
					return err
				}
				c.aconn = conn
			}
			var err error
			a.r, err = c.readFrom(ctx, c.aconn, from)
			return err
		})
	}()
	c.ahead = a
}

// takeAhead returns the batch read ahead if it follows the last commit.
func (c *catchup) takeAhead() (ready, bool) {
	a := c.ahead
	if a == nil {
		return ready{}, false
	}
	c.dropAhead()
	if a.err != nil {
		if c.aconn != nil {
			c.aconn.Close() // it may be broken; the next read-ahead opens another
			c.aconn = nil
		}
		return ready{}, false
	}
	if a.after != c.commits {
		return ready{}, false
	}
	c.aheadUsed++
	return a.r, true
}

// dropAhead waits for the batch being read ahead and forgets it.
func (c *catchup) dropAhead() {
	if c.ahead != nil {
		<-c.ahead.done
		c.ahead = nil
	}
}
