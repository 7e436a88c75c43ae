package engine

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// drainGrace is how long a drain waits for ids still missing below its end
// before it takes them for rolled-back transactions.
const drainGrace = time.Second

func (c *catchup) run(ctx context.Context) (CatchupResult, error) {
	var maxID int64
	err := c.source(ctx, "read the change log", func(conn *sql.Conn) error {
		return c.watch(ctx, c.src, readingLog, func(ctx context.Context) (err error) {
			maxID, err = c.log.maxID(ctx, conn)
			return err
		})
	})
	if err != nil {
		return c.finish(), err
	}
	drainTo := maxID
	c.conv = newConvergence(c.opts.MaxLag, c.opts.ConvergeFor, c.opts.NotConverging, maxID, 0, time.Now)
	c.seenMax(maxID, time.Now())
	startNote := fmt.Sprintf("started at log id %d", c.state.pos.LowWater())
	if c.opts.Until == UntilDrained {
		startNote += fmt.Sprintf(", draining to id %d", drainTo)
	}
	c.report(maxID, 0, false, startNote)
	if err := c.setUpChecked(ctx); err != nil {
		return c.finish(), err
	}
	c.guard.good = catchupState{pos: c.state.pos.Clone(), applied: c.state.applied, tables: c.state.tables, log: c.state.log} // nothing written by this run yet
	if err := c.guardTables(ctx, true); err != nil {
		return c.finish(), err
	}
	var gapsAt time.Time // when a drain first reached its end with ids still missing
	for {
		if err := ctx.Err(); err != nil {
			return c.finish(), fmt.Errorf("catch-up %s: stopped: %w", c.opts.LogTable, stopped(err))
		}
		var fresh int
		began := time.Now()
		err := c.source(ctx, "apply a batch", func(conn *sql.Conn) (err error) {
			fresh, err = c.step(ctx, conn)
			return err
		})
		if err != nil {
			return c.finish(), err
		}
		c.capacity.add(fresh, c.opts.Batch, time.Since(began))
		now, err := c.observe(ctx)
		if err != nil {
			return c.finish(), err
		}
		if err := c.guardTables(ctx, false); err != nil {
			return c.finish(), err
		}
		if done, err := c.reachedEnd(ctx, now, drainTo, &gapsAt); done || err != nil {
			return c.finish(), err
		}
		if fresh == 0 {
			if err := sleepCtx(ctx, c.opts.Poll); err != nil {
				return c.finish(), fmt.Errorf("catch-up %s: stopped: %w", c.opts.LogTable, stopped(err))
			}
		}
	}
}

// observe reads the log's end and lag after a batch, records them for
// convergence, reports, and checkpoints.
func (c *catchup) observe(ctx context.Context) (time.Time, error) {
	var maxID int64
	var lag time.Duration
	var lagKnown bool
	err := c.source(ctx, "read the change log", func(conn *sql.Conn) error {
		return c.watch(ctx, c.src, readingLog, func(ctx context.Context) (err error) {
			if maxID, err = c.log.maxID(ctx, conn); err != nil {
				return err
			}
			if err := c.log.moveMark(ctx, conn, &c.state.pos, c.opts.Job, c.dst); err != nil {
				return err
			}
			lag, lagKnown, err = c.log.oldestAge(ctx, conn, c.state.pos.MaxSeen)
			return err
		})
	})
	if err != nil {
		return time.Time{}, err
	}
	now := time.Now()
	c.seenMax(maxID, now)
	pending := max(maxID-c.state.pos.MaxSeen, 0)
	if !lagKnown {
		lag, lagKnown = c.observedLag(now), true
	}
	if pending == 0 {
		lag = 0
	}
	c.res.Pending, c.res.Lag = pending, lag
	if c.conv.observe(now, pending, lag, maxID, c.res.Applied) {
		c.warnNotConverging(now)
	}
	c.report(maxID, lag, lagKnown, "")
	c.checkpoint(false)
	return now, nil
}

// reachedEnd tells whether the catch-up is done: converged, or drained to
// drainTo. A drain whose end still has ids missing after drainGrace (gapsAt
// is when it first saw them) closes the gaps.
func (c *catchup) reachedEnd(ctx context.Context, now time.Time, drainTo int64, gapsAt *time.Time) (bool, error) {
	switch c.opts.Until {
	case UntilConverged:
		if c.conv.converged(now) {
			return c.claimEnd(ctx, &c.res.Converged)
		}
	case UntilDrained:
		if c.state.pos.MaxSeen < drainTo {
			return false, nil
		}
		if c.state.pos.gapsThrough(drainTo) == 0 {
			return c.claimEnd(ctx, &c.res.Drained)
		}
		if gapsAt.IsZero() {
			*gapsAt = now
		} else if now.Sub(*gapsAt) >= drainGrace {
			// The source is read-only: nothing still open can commit.
			if err := c.closeGaps(ctx, drainTo); err != nil {
				return true, err
			}
			return c.claimEnd(ctx, &c.res.Drained)
		}
	}
	return false, nil
}

// step reads one batch of the log and applies it; it returns the number of
// new log rows. A full batch has the next one read ahead while it is
// written (see ahead).
func (c *catchup) step(ctx context.Context, conn *sql.Conn) (int, error) {
	c.sconn = conn
	if c.unsure {
		if err := c.watch(ctx, c.dst, applyingChanges, c.recheckCommit); err != nil {
			return 0, err
		}
	}
	r, ok := c.takeAhead()
	if !ok {
		err := c.watch(ctx, c.src, readingLog, func(ctx context.Context) (err error) {
			r, err = c.readFrom(ctx, conn, c.state.pos)
			return err
		})
		if err != nil {
			return 0, err
		}
	}
	if r.fresh == 0 && r.skipped == 0 {
		return 0, nil
	}
	if err := c.opts.Control.Wait(ctx, r.fresh); err != nil {
		return 0, err
	}
	if r.fresh >= c.opts.Batch {
		c.startAhead(ctx, r.pos)
	}
	// The read-ahead above runs on ctx, not under this watch: it has its own.
	err := c.watch(ctx, c.dst, applyingChanges, func(ctx context.Context) error {
		return c.commit(ctx, &r.g, r.pos)
	})
	if err != nil {
		c.dropAhead()
		c.unsure = true
		return 0, err
	}
	c.res.Applied += int64(r.fresh)
	c.res.Upserted += r.g.a.upserted
	c.res.Deleted += r.g.a.deleted
	c.res.Ignored += r.g.a.ignored
	return r.fresh, nil
}

// recheckCommit reads the stored position after a commit that failed: when
// it landed all the same, the catch-up goes on after it rather than
// applying its batch again.
func (c *catchup) recheckCommit(ctx context.Context) error {
	st, ok, err := loadCatchupState(ctx, c.dst, c.opts.Job)
	if err != nil {
		return err
	}
	if ok && st.applied > c.state.applied {
		c.res.Applied += st.applied - c.state.applied
		c.state = st
		c.commits++
	}
	c.unsure = false
	return nil
}

// closeGaps gives up on the ids still missing up to id through, and stores
// the position.
// Every gap gets a last look first, and what committed in it is applied.
func (c *catchup) closeGaps(ctx context.Context, through int64) error {
	return c.source(ctx, "close the gaps", func(conn *sql.Conn) error {
		c.sconn = conn
		pos := c.state.pos.Clone()
		late, err := c.log.readRanges(ctx, conn, pos.rangesThrough(through))
		if err != nil {
			return err
		}
		fresh := pos.seenOf(late, time.Now())
		pos.expireThrough(through)
		return c.watch(ctx, c.dst, applyingChanges, func(ctx context.Context) error {
			_, err := c.apply(ctx, fresh, pos)
			return err
		})
	})
}

// source runs f on the source connection, reopening it and retrying with
// backoff on transient errors. A batch that failed is read again from the
// last committed position, so no change is lost or applied twice.
func (c *catchup) source(ctx context.Context, what string, f func(*sql.Conn) error) error {
	p := retryPolicy{what: "catch-up " + what, budget: c.opts.RetryFor, failed: dropConn(&c.sconn),
		retrying: func(err error) {
			if note, ok := stallNote(err); ok {
				c.note(note)
				return
			}
			c.note(fmt.Sprintf("retrying %s after: %s", what, shortErr(err)))
		}}
	err, stop := p.run(ctx, onConn(ctx, c.src, &c.sconn, f))
	switch {
	case err == nil:
		return nil
	case stop != nil:
		return fmt.Errorf("catch-up %s: stopped: %w", c.opts.LogTable, stopped(stop))
	}
	return fmt.Errorf("catch-up %s: %s: %w", c.opts.LogTable, what, err)
}

// What a catch-up's stall notes say it was doing.
const (
	readingLog      = "reading the change log"
	applyingChanges = "applying changes"
)

// watch runs f under a stall watch on d: a server that stops answering is
// given up (a transient error, so source retries the step from the last
// committed position) and noted as having stalled while doing.
func (c *catchup) watch(ctx context.Context, d *DB, doing string, f func(context.Context) error) error {
	err := withStallDoing(ctx, stallLimitOr(c.opts.stallAfter), d.ident, doing, f)
	if err != nil && d == c.dst {
		for _, w := range c.wconns { // a failed transaction may have left them mid-way
			w.drop(err)
		}
	}
	return err
}

// finish fills the result's closing figures.
func (c *catchup) finish() CatchupResult {
	c.res.Position = c.state.pos.Clone()
	c.res.Skipped = c.state.pos.Skipped
	c.res.Seconds = time.Since(c.start).Seconds()
	if c.conv != nil {
		c.res.ArrivalRate, c.res.ApplyRate = c.conv.arrivals.Rate(), c.conv.applies.Rate()
		c.closeWarning()
	}
	c.res.ApplyCapacity, c.res.CapacityLowerBound = c.capacity.rate()
	c.checkpoint(true)
	return c.res
}

func (c *catchup) report(maxID int64, lag time.Duration, lagKnown bool, note string) {
	if note == "" {
		note = c.conv.note(c.res.Pending, lag, lagKnown)
	}
	c.note(note)
}

func (c *catchup) note(note string) {
	if c.opts.Progress == nil {
		return
	}
	rate := 0.0
	if c.conv != nil {
		rate = c.conv.applies.Rate()
	}
	c.opts.Progress(Progress{Engine: "catchup", Table: c.opts.LogTable, Done: c.state.applied,
		Total: c.state.applied + c.res.Pending, RowsPerSec: rate, Note: note})
}

// checkpoint reports the stored position, at most once a second.
func (c *catchup) checkpoint(done bool) {
	if c.opts.OnCheckpoint == nil {
		return
	}
	now := time.Now()
	if !done && now.Sub(c.lastCP) < time.Second {
		return
	}
	c.lastCP = now
	c.opts.OnCheckpoint(Checkpoint{Job: c.opts.Job, Table: c.opts.LogTable,
		LastKey: []string{fmt.Sprint(c.state.pos.LowWater())}, Rows: c.state.applied, Done: done})
}
