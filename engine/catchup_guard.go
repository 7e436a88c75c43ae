package engine

import (
	"context"
	"database/sql"
	"time"
)

// defaultGuardEvery is how often a running catch-up checks that its tables
// still log their changes and keep the columns it writes. The check reads
// the catalog, once per table: cheap every few seconds, too dear per batch.
const defaultGuardEvery = 5 * time.Second

// guardShare bounds the time the checks take from the catch-up: a check
// that took d waits at least guardShare × d before the next.
const guardShare = 20

// Why a catch-up checks its tables: an online schema change that swaps a
// table by RENAME leaves runway's triggers on the old table, and a column
// added while the catch-up runs is not in the columns it read at its start.
// Either way the target silently misses changes, so the catch-up stops.

// tableGuard remembers the last check that found the tables whole.
type tableGuard struct {
	at   time.Time
	took time.Duration
	// good is the position when that check began: every batch before it
	// was read with the columns the catch-up knows.
	good catchupState
}

// guardTables checks the replayed tables when a check is due, or at once
// when now is set (at the start, and before claiming the end).
func (c *catchup) guardTables(ctx context.Context, now bool) error {
	g := &c.guard
	if !now && time.Since(g.at) < max(c.guardEvery(), guardShare*g.took) {
		return nil
	}
	began, good := time.Now(), catchupState{pos: c.state.pos.Clone(), applied: c.state.applied, tables: c.state.tables, log: c.state.log}
	seen, err := c.checkTables(ctx)
	if err != nil {
		return c.renewAfter(ctx, err)
	}
	seen.Checked = good.pos.LowWater()
	c.state.tables = seen // stored with the next batch
	g.at, g.took, g.good = time.Now(), time.Since(began), good
	if c.opts.guarded != nil {
		c.opts.guarded()
	}
	return nil
}

func (c *catchup) guardEvery() time.Duration {
	if c.opts.guardEvery > 0 {
		return c.opts.guardEvery
	}
	return defaultGuardEvery
}

// checkTables reads the triggers, columns and storage of the replayed
// tables (read errors are retried as any step's) and stops on the first
// table that lost its triggers, whose columns changed or that was truncated
// or rebuilt; it returns what it found.
func (c *catchup) checkTables(ctx context.Context) (tablesSeen, error) {
	tables := c.replayed()
	var trs []logTrigger
	var now []tableShapes
	var logged []string
	var gone map[string]bool
	var stores []storeIDs
	var waiting []string // tables logged and replayed, not set up yet
	var waitIDs map[string]string
	err := c.source(ctx, "check the tables", func(conn *sql.Conn) (err error) {
		// The log too: one emptied under the catch-up and written again
		// holds another row under its mark.
		if err := c.log.checkMark(ctx, conn, &c.state.pos, c.opts.Job, c.dst); err != nil {
			return err
		}
		if trs, err = logTriggers(ctx, c.src, c.opts.LogTable); err != nil {
			return err
		}
		logged = c.loggedByTriggers(tables, trs)
		if gone, err = c.droppedOf(ctx, logged); err != nil {
			return err
		}
		if now, err = c.readShapes(ctx, tables); err != nil {
			return err
		}
		if stores, err = c.readStores(ctx, tables); err != nil {
			return err
		}
		waiting = c.waiting(tables, trs)
		if waitIDs, err = c.storageIDs(ctx, c.src, waiting); err != nil {
			return err
		}
		return c.readCopied(ctx, tables, waiting)
	})
	if err != nil {
		return tablesSeen{}, err
	}
	logged, err = c.triggersWhole(logged, gone, trs)
	if err != nil {
		return tablesSeen{}, err
	}
	if err := c.columnsSame(ctx, tables, now); err != nil {
		return tablesSeen{}, err
	}
	watched := c.watched(tables, stores, waiting, waitIDs)
	if err := c.storesSame(ctx, watched); err != nil {
		return tablesSeen{}, err
	}
	return tablesSeen{Shapes: c.shapesSeen(tables, now), Logged: logged, Stores: c.storesSeen(watched)}, nil
}

// replayed lists the tables set up so far (the read-ahead adds some).
func (c *catchup) replayed() []*catchupTable {
	c.tablesMu.Lock()
	defer c.tablesMu.Unlock()
	out := make([]*catchupTable, 0, len(c.tables))
	for _, t := range c.tables {
		out = append(out, t)
	}
	return out
}

// claimEnd marks the end condition met (flag is Converged or Drained) once
// the tables are found whole: a catch-up never claims an end over a table
// whose changes stopped being logged.
// What that check found is stored, for the next run to hold its tables to.
func (c *catchup) claimEnd(ctx context.Context, flag *bool) (bool, error) {
	if err := c.guardTables(ctx, true); err != nil {
		return true, err
	}
	if err := saveCatchupState(ctx, c.dst, c.dst.db, c.opts.Job, c.state); err != nil {
		return true, err
	}
	*flag = true
	return true, nil
}

// setUpChecked sets up, before the first check, the tables the run before
// this one checked, and compares each with what that run stored (see
// sinceLastRun): set up only once its first change is read, a table would
// take a column added since for one it always had.
func (c *catchup) setUpChecked(ctx context.Context) error {
	for name := range c.state.tables.Shapes {
		if !c.wanted(name) {
			continue
		}
		var now []tableShapes // read as a check reads them, to compare alike
		var t *catchupTable
		err := c.source(ctx, "set up "+name, func(*sql.Conn) error {
			exists, err := c.src.Exists(ctx, name)
			if err != nil || !exists {
				return err // dropped: nothing to compare
			}
			if t, err = c.table(ctx, name); err != nil {
				return err
			}
			now, err = c.readShapes(ctx, []*catchupTable{t})
			return err
		})
		if err != nil {
			return err
		}
		if t != nil {
			if err := c.sinceLastRun(ctx, t.st.Name, now[0]); err != nil {
				return c.renewAfter(ctx, err)
			}
		}
	}
	return nil
}
