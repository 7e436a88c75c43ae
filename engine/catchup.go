package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Catch-up end conditions.
const (
	UntilConverged = "converged" // the lag stays under MaxLag for ConvergeFor
	UntilDrained   = "drained"   // every change logged when the catch-up started is applied
)

// CatchupOptions configure Catchup.
type CatchupOptions struct {
	LogTable string   // the change log on the source (see changeLog)
	Tables   []string // tables replayed; log rows of other tables are counted and skipped. Empty = every table in the log.
	// Until is UntilConverged (default) or UntilDrained. Drain once the
	// source has been made read-only: the catch-up then applies every change
	// up to the log's maximum id at its start, gaps included, and stops.
	Until string
	// MaxLag is the age of the oldest pending change under which the
	// catch-up counts as caught up (default 5s); ConvergeFor is how long it
	// must stay so (default 30s).
	MaxLag, ConvergeFor time.Duration
	// GapTimeout is how long an unseen log id is waited for before it is
	// taken for a rolled-back transaction. Default DefaultGapTimeout.
	GapTimeout time.Duration
	// Batch is the number of log rows applied in one target transaction.
	// Default 5000.
	Batch int
	// Writers is the number of target connections that write a large batch
	// on a MySQL target, each a stretch of its keys, before the position is
	// committed. Default 2; 1 writes every batch in one transaction with its
	// position.
	Writers int
	// Poll is the pause when the log has nothing new. Default 200ms.
	Poll time.Duration
	// NotConverging is the stretch over which a growing backlog raises the
	// "not converging" warning. Default 30s.
	NotConverging time.Duration
	// Job names the stored position (on the target, in CatchupTable).
	// Default: the log table's name, so that successive catch-up items on
	// the same log (converge, then drain) continue one another.
	Job          string
	Control      *Control
	Progress     ProgressFunc
	OnCheckpoint func(Checkpoint)
	// RetryFor is how long a failing batch is retried on transient errors.
	// Default 2 minutes.
	RetryFor time.Duration
	// AllowTargetTriggers writes to target tables that have triggers;
	// otherwise the preflight refuses them (see Preflight).
	AllowTargetTriggers bool

	// stallAfter, set by tests, replaces minStall as the time a read of the
	// log or an apply may go unanswered.
	stallAfter time.Duration
	// followed, set by tests, hears each read of a table's rows that
	// reference changed keys, with how many keys.
	followed func(table string, keys int)
	// guardEvery, set by tests, replaces defaultGuardEvery; guarded hears
	// each check that found the tables whole.
	guardEvery time.Duration
	guarded    func()
}

// CatchupResult is what a catch-up did.
type CatchupResult struct {
	Job      string
	Applied  int64 // log rows applied by this run
	Upserted int64 // rows re-read from the source and written to the target
	Deleted  int64 // keys the source no longer has, deleted on the target
	Ignored  int64 // log rows of tables not caught up
	Skipped  int64 // log ids given up on as rolled back (over all runs)
	Pending  int64 // log rows known to be waiting at the end
	Lag      time.Duration
	// Converged or Drained tells which end condition was met.
	Converged, Drained     bool
	Warnings               []string
	ArrivalRate, ApplyRate float64 // log rows per second, recent
	// ApplyCapacity is the measured apply rate while there was work (log
	// rows per second of busy time): a writer faster than this outruns the
	// catch-up. CapacityLowerBound when only small batches measured it.
	ApplyCapacity      float64
	CapacityLowerBound bool
	Seconds            float64
	Position           LogPosition
}

// Catchup replays the change log of src onto dst: it reads the log from its
// stored position, de-duplicates the keys of a batch, re-reads those rows
// from the source (the source is the truth) and upserts them on the target,
// or deletes them there when the source no longer has them, and stores the
// new position in the same target transaction (a large batch on MySQL: its
// rows by Writers connections first, then the position; see writeParts). It runs until opts.Until is
// met or ctx ends (a cancelled catch-up stops cleanly after its last
// committed batch and reports ctx's error).
//
// Start it from a position taken before the copy started (the default, the
// log's first row, always is): a row the copy read and the application then
// deleted is in the log, and its replay deletes it from the target.
func Catchup(ctx context.Context, src, dst *DB, opts CatchupOptions) (CatchupResult, error) {
	c, err := newCatchup(ctx, src, dst, opts)
	if err != nil {
		return CatchupResult{Job: opts.Job}, stoppedWhile(ctx, "catch-up", err)
	}
	defer c.close()
	res, err := c.run(ctx)
	return res, stoppedWhile(ctx, "catch-up", err)
}

// catchupSession prepares a catch-up writer as copy's writers are: the
// batch's tables are written one after another, not in the source's order,
// so foreign keys are not checked (the source's rows satisfied them).
func catchupSession(dst *DB) func(context.Context, *sql.Conn) error {
	return func(ctx context.Context, conn *sql.Conn) error {
		return dst.writerSession(ctx, conn, true, false)
	}
}

// catchup is one running catch-up.
type catchup struct {
	src, dst *DB
	opts     CatchupOptions
	log      *changeLog
	tables   map[string]*catchupTable // by lower-case name
	tablesMu sync.Mutex
	state    catchupState
	res      CatchupResult
	conv     *convergence
	sconn    *sql.Conn // source connection for the log and re-reads
	// wconns are the target connections, one per writer; wconns[0]
	// commits every batch with its position.
	wconns   []*writerConn
	start    time.Time
	lastCP   time.Time
	capacity applyCapacity
	// ahead is the next batch being read on aconn while one is written;
	// commits counts the batches committed, to tell whether it follows.
	ahead     *ahead
	aconn     *sql.Conn
	commits   int64
	aheadUsed int64 // batches that came from a read-ahead
	// unsure is set when a commit failed without an answer: it may have
	// landed, which the stored position tells before the next batch.
	unsure bool
	// warnIdx is 1 + the index of the not-converging warning in
	// res.Warnings, 0 while there is none; warnClosed once completed.
	warnIdx    int
	warnClosed bool
	// maxSeenAt remembers when the log's highest id reached each value,
	// for the lag of a log without changed_at.
	maxSeenAt []idSeen
	guard     tableGuard
	// storageHiddenNoted is set once a server was noted to hide its
	// tables' storage ids (see catchup_guard_storage.go).
	storageHiddenNoted bool
	// copied are the storage ids copies recorded of tables no check has
	// seen yet, by name, once read.
	copied map[string]storeIDs
}

// catchupTable is one replayed table.
type catchupTable struct {
	st, dt             *Table
	cols               []int
	shape              *rowShape
	colNames, keyNames []string    // the target's, as its upserters write them
	ups                []*Upserter // one per writer connection; ups[0] writes small batches
	// childRefs are the target's foreign keys referencing this table's
	// key, read once (childrenRead) when a delete first needs them.
	childRefs    []childRef
	childrenRead bool
}

func newCatchup(ctx context.Context, src, dst *DB, opts CatchupOptions) (*catchup, error) {
	if opts.LogTable == "" {
		return nil, errors.New("catch-up: no change log table named")
	}
	if opts.Until == "" {
		opts.Until = UntilConverged
	}
	if opts.Until != UntilConverged && opts.Until != UntilDrained {
		return nil, fmt.Errorf("catch-up: until %q (want %s or %s)", opts.Until, UntilConverged, UntilDrained)
	}
	if opts.MaxLag <= 0 {
		opts.MaxLag = 5 * time.Second
	}
	if opts.ConvergeFor <= 0 {
		opts.ConvergeFor = 30 * time.Second
	}
	if opts.GapTimeout <= 0 {
		opts.GapTimeout = DefaultGapTimeout
	}
	if opts.Batch <= 0 {
		opts.Batch = 5000
	}
	if opts.Writers <= 0 {
		opts.Writers = defaultCatchupWriters
	}
	if opts.Poll <= 0 {
		opts.Poll = 200 * time.Millisecond
	}
	if opts.NotConverging <= 0 {
		opts.NotConverging = 30 * time.Second
	}
	if opts.RetryFor <= 0 {
		opts.RetryFor = 2 * time.Minute
	}
	if opts.Job == "" {
		opts.Job = opts.LogTable
	}
	if len(opts.Tables) > 0 {
		plan, err := preflightFor(ctx, src, dst, opts.RetryFor, PreflightOptions{Engine: PlanCatchup, Tables: opts.Tables,
			AllowTargetTriggers: opts.AllowTargetTriggers})
		if err != nil {
			return nil, err
		}
		opts.Tables = plan.TableNames()
	}
	c := &catchup{src: src, dst: dst, opts: opts, tables: map[string]*catchupTable{}, start: time.Now()}
	c.res.Job = opts.Job
	for range opts.Writers {
		c.wconns = append(c.wconns, &writerConn{d: dst, prepare: catchupSession(dst)})
	}
	err := retrySetup(ctx, opts.RetryFor, func() error {
		if sameFile(src, dst) {
			return fmt.Errorf("catch-up: source and target are the same database %s", src)
		}
		if err := ensureCatchupTable(ctx, dst); err != nil {
			return err
		}
		l, err := openChangeLog(ctx, src, opts.LogTable)
		if err != nil {
			return err
		}
		c.log = l
		for _, name := range opts.Tables {
			if _, err := c.table(ctx, name); err != nil {
				return err
			}
		}
		st, stored, err := loadCatchupState(ctx, dst, opts.Job)
		if err != nil {
			return err
		}
		if stored {
			if err := l.owns(ctx, st, opts.Job, dst); err != nil {
				return err
			}
		}
		st.log = l.ident
		c.state = st
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("catch-up %s: %w", opts.LogTable, err)
	}
	return c, nil
}

func (c *catchup) close() {
	c.dropAhead()
	for _, w := range c.wconns {
		w.drop(nil)
	}
	if c.aconn != nil {
		c.aconn.Close()
	}
	if c.sconn != nil {
		c.sconn.Close()
	}
	for _, t := range c.tables {
		for _, u := range t.ups {
			u.Close()
		}
	}
}

// table returns the replayed table named name, setting it up on first use.
func (c *catchup) table(ctx context.Context, name string) (*catchupTable, error) {
	c.tablesMu.Lock() // the read-ahead sets tables up too
	defer c.tablesMu.Unlock()
	if t, ok := c.tables[strings.ToLower(name)]; ok {
		return t, nil
	}
	st, err := c.src.Table(ctx, name)
	if err != nil {
		return nil, err
	}
	dt, _, _, err := PrepareTarget(ctx, c.src, c.dst, st, false, nil)
	if err != nil {
		return nil, err
	}
	t := &catchupTable{st: st, dt: dt, cols: st.Copied()}
	sh, dcols := pairTables(st, dt) // the target is written by the source key's columns
	var names []string
	for _, j := range dcols {
		names = append(names, dt.Columns[j].Name)
	}
	t.shape = sh
	var keyNames []string
	for _, k := range dt.Key {
		keyNames = append(keyNames, dt.Columns[k].Name)
	}
	t.colNames, t.keyNames = names, keyNames
	t.upserter(ctx, c.dst, 0)
	c.tables[strings.ToLower(name)] = t
	return t, nil
}

// wanted reports whether log rows of table name are replayed.
func (c *catchup) wanted(name string) bool {
	if len(c.opts.Tables) == 0 {
		return true
	}
	for _, t := range c.opts.Tables {
		if strings.EqualFold(t, name) {
			return true
		}
	}
	return false
}
