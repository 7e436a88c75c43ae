package engine

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dustin/go-humanize"
)

// tableCopy copies one table: one reader, opts.Writers writers, commits in
// chunk order so that the single checkpoint row is always a clean prefix.
type tableCopy struct {
	src, dst *DB
	name     string
	opts     CopyOptions
	st, dt   *Table
	cols     []int    // source columns copied
	names    []string // their names on the target
	keyNames []string // key column names on the target

	mu        sync.Mutex
	cond      *sync.Cond
	next      int64           // sequence number of the chunk allowed to commit
	failed    int64           // a chunk being retried; later chunks wait behind it (0 = none)
	state     checkpointState // as last committed
	startRows int64
	chunks    int
	retries   int
	meter     *Meter
	total     atomic.Int64
	chunker   chunker
	free      chan *Batch
	// fresh tells that the target holds only the rows of the chunks
	// committed so far (it created the table, or found it empty, or holds
	// just the rows the checkpoint counts), so that no chunk's keys can be
	// there before the chunk commits.
	fresh bool
	// stream moves the rows from source to target without batches (see
	// streamer); nil when they go through batches.
	stream rowStreamer
}

// run copies the table: its target prepared, the copy resumed from its
// checkpoint, the rows copied, the deferred indexes added.
func (tc *tableCopy) run(ctx context.Context) (TableResult, error) {
	res := TableResult{Table: tc.name}
	start := time.Now()
	created, deferred, err := tc.prepare(ctx)
	res.Created = created
	if err != nil {
		return res, err
	}
	if created {
		res.NotCarried = carryNotes(tc.src, tc.dst, tc.st)
	}
	cp, err := tc.resume(ctx, created, deferred)
	if err != nil {
		return res, err
	}
	res.Total = cp.rows
	if cp.done {
		again, err := tc.recheck(ctx, &cp, &res)
		if err != nil || !again {
			return res, err
		}
	}
	tc.fresh = created || tc.onlyOwnRows(ctx, cp.rows)
	srcStorage, err := tc.startStorage(ctx, cp.rows > 0 || !tc.fresh)
	if err != nil {
		return res, fmt.Errorf("copy %s: %w", tc.name, err)
	}
	// Not for a copy again, whose note says why, nor a slice by filter,
	// whose target holds the slices before it.
	if !tc.fresh && cp.rows == 0 && res.Note == "" && tc.opts.Where == "" {
		res.Note = heldRowsNote
	}
	tc.stream = tc.streamer()
	res.Streamed = tc.stream != nil && !tc.attachable()
	tc.begin(cp, &res)
	if tc.attachable() {
		err = tc.attached(ctx)
	} else {
		err = tc.pipeline(ctx)
	}
	tc.mu.Lock()
	final := tc.state
	res.Rows, res.Total, res.Chunks, res.Retries = final.rows-tc.startRows, final.rows, tc.chunks, tc.retries
	tc.mu.Unlock()
	res.Seconds = time.Since(start).Seconds()
	if res.Seconds > 0 {
		res.RowsPerSec = float64(res.Rows) / res.Seconds
	}
	if err != nil {
		return res, err
	}
	if err := tc.finish(ctx, final); err != nil {
		return res, err
	}
	if err := tc.recordStorage(ctx, srcStorage); err != nil {
		return res, fmt.Errorf("copy %s: %w", tc.name, err)
	}
	res.Seconds = time.Since(start).Seconds()
	if res.Seconds > 0 {
		res.RowsPerSec = float64(res.Rows) / res.Seconds
	}
	tc.report(Progress{Done: final.rows, Total: final.rows, RowsPerSec: res.RowsPerSec, Note: "done"})
	return res, nil
}

// prepare reads the source table and prepares the target's, creating it
// when asked; created tells so, with the indexes it defers.
func (tc *tableCopy) prepare(ctx context.Context) (created bool, deferred []string, err error) {
	err = retrySetup(ctx, startRetry(tc.opts.RetryFor), func() (err error) {
		tc.st, err = tc.src.Table(ctx, tc.name)
		return err
	})
	if err != nil {
		return false, nil, fmt.Errorf("copy %s: %w", tc.name, err)
	}
	if sameFile(tc.src, tc.dst) || tc.src.ident == tc.dst.ident {
		return false, nil, fmt.Errorf("copy %s: source and target are the same table in %s", tc.name, tc.src)
	}
	err = retrySetup(ctx, startRetry(tc.opts.RetryFor), func() (err error) {
		var c bool
		var d []string
		tc.dt, c, d, err = PrepareTarget(ctx, tc.src, tc.dst, tc.st, tc.opts.Create, tc.rememberDeferred(ctx))
		if c {
			created, deferred = true, d
		}
		return err
	})
	if err != nil {
		return created, deferred, fmt.Errorf("copy %s: %w", tc.name, err)
	}
	tc.cols = tc.st.Copied()
	for _, c := range tc.cols {
		tc.names = append(tc.names, tc.dt.Column(tc.st.Columns[c].Name).Name)
	}
	for _, k := range tc.st.KeyColumns() {
		tc.keyNames = append(tc.keyNames, tc.dt.Column(k).Name)
	}
	return created, deferred, nil
}

// rememberDeferred records the indexes a table about to be created leaves
// for later, as a checkpoint with no rows copied yet.
func (tc *tableCopy) rememberDeferred(ctx context.Context) func([]string) error {
	return func(deferred []string) error {
		return saveCheckpoint(ctx, tc.dst, tc.dst.db, tc.opts.Job, tc.name, checkpointState{found: true, pending: deferred})
	}
}

// resume reads the stored checkpoint; a table just created starts over with
// its deferred indexes remembered at once, so a rerun after a crash still
// adds them.
func (tc *tableCopy) resume(ctx context.Context, created bool, deferred []string) (checkpointState, error) {
	var cp checkpointState
	if err := retrySetup(ctx, startRetry(tc.opts.RetryFor), func() (err error) {
		cp, err = loadCheckpoint(ctx, tc.dst, tc.dst.db, tc.opts.Job, tc.name)
		return err
	}); err != nil {
		return cp, fmt.Errorf("copy %s: %w", tc.name, err)
	}
	if cp.found && tc.stale(ctx, cp, created) {
		// the rows are gone, not the indexes still to add
		cp = checkpointState{found: len(cp.pending) > 0, pending: cp.pending}
	}
	if created {
		cp = checkpointState{found: true, pending: deferred}
		if err := retrySetup(ctx, tc.opts.RetryFor, func() error {
			return saveCheckpoint(ctx, tc.dst, tc.dst.db, tc.opts.Job, tc.name, cp)
		}); err != nil {
			return cp, fmt.Errorf("copy %s: %w", tc.name, err)
		}
	}
	return cp, nil
}

// begin sets the copy up to continue from cp and reports where it starts.
func (tc *tableCopy) begin(cp checkpointState, res *TableResult) {
	res.Resumed = cp.rows > 0
	tc.state, tc.next, tc.startRows = cp, cp.chunks+1, cp.rows
	tc.meter = newActiveMeter(cp.rows, tc.opts.Control)
	granule := tc.dst.dialect.preparedRows(len(tc.names))
	if granule > 0 && tc.opts.preparedRows > 0 {
		granule = tc.opts.preparedRows
	}
	tc.chunker.start(tc.opts.MaxChunkRows, tc.opts.ChunkTime, granule, tc.opts.Control)
	note := "started"
	if res.Resumed {
		note = fmt.Sprintf("resumed after key (%s), %s rows already copied", strings.Join(cp.public("", "").LastKey, ", "), humanize.Comma(cp.rows))
	}
	tc.report(Progress{Done: cp.rows, Note: note})
}

// finish closes a table whose rows are all in: the rate limit settled, the
// deferred indexes added, the checkpoint marked done.
func (tc *tableCopy) finish(ctx context.Context, final checkpointState) error {
	// The last chunk's rows have not waited for their share of the rate
	// limit yet: settle, so that the table's rows/s stays within it.
	if err := tc.opts.Control.Wait(ctx, 0); err != nil {
		return fmt.Errorf("copy %s: stopped: %w", tc.name, stopped(err))
	}
	if len(final.pending) > 0 {
		tc.report(Progress{Done: final.rows, Total: final.rows, Note: "adding indexes"})
		if err := retrySetup(ctx, tc.opts.RetryFor, func() error {
			return runDeferred(ctx, tc.dst, tc.dt.Name, final.pending)
		}); err != nil {
			if isDuplicateKey(err) {
				return fmt.Errorf("copy %s: %w; two rows hold one value of that unique index: on a live source, a value that moved during the copy (run the catch-up, or verify --repair, then the copy again, which adds the index)", tc.name, err)
			}
			return fmt.Errorf("copy %s: %w", tc.name, err)
		}
	}
	final.found, final.done, final.pending = true, true, nil
	if err := retrySetup(ctx, tc.opts.RetryFor, func() error {
		return saveCheckpoint(ctx, tc.dst, tc.dst.db, tc.opts.Job, tc.name, final)
	}); err != nil {
		return fmt.Errorf("copy %s: %w", tc.name, err)
	}
	if tc.opts.OnCheckpoint != nil {
		tc.opts.OnCheckpoint(final.public(tc.opts.Job, tc.name))
	}
	return nil
}

// stale reports whether a stored checkpoint no longer describes the target:
// the table was just created (so it had been dropped), or it was emptied.
func (tc *tableCopy) stale(ctx context.Context, cp checkpointState, created bool) bool {
	if created {
		return true
	}
	return cp.rows > 0 && tc.empty(ctx)
}

// empty reports whether the target table holds no row.
func (tc *tableCopy) empty(ctx context.Context) bool {
	var one int
	err := tc.dst.db.QueryRowContext(ctx, "SELECT 1 FROM "+tc.dst.Quote(tc.dt.Name)+" LIMIT 1").Scan(&one)
	return isNoRows(err)
}

// heldRowsNote is the note of a whole-table copy that began on a target
// holding rows: it writes over them, and leaves those the source lacks.
const heldRowsNote = "the target held rows before this copy began: rows the source has are written over, rows it lacks stay (verify lists them, --repair deletes them)"

// onlyOwnRows reports whether the target table holds just the rows the
// copy's committed chunks wrote (none, before the first): as each chunk
// commits with its checkpoint, none of the rest can be there. The count is
// taken rather than a key range, which the target would order by its own
// collation.
func (tc *tableCopy) onlyOwnRows(ctx context.Context, rows int64) bool {
	if rows == 0 {
		return tc.empty(ctx)
	}
	var n int64
	err := tc.dst.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+tc.dst.Quote(tc.dt.Name)).Scan(&n)
	return err == nil && n == rows
}

// retried counts a retry and reports it.
func (tc *tableCopy) retried(note string) {
	tc.mu.Lock()
	tc.retries++
	done := tc.state.rows
	tc.mu.Unlock()
	tc.report(Progress{Done: done, Total: max(tc.total.Load(), done), Note: note})
}

func (tc *tableCopy) report(p Progress) {
	if tc.opts.Progress != nil {
		p.Engine, p.Table = "copy", tc.name
		tc.opts.Progress(p)
	}
}
