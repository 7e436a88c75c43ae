package engine

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"github.com/dustin/go-humanize"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// maxChunkBytes caps the memory of one chunk; with the read-ahead queue and
// the writers, a copy holds at most a few chunks.
const maxChunkBytes = 8 << 20

// errRestart tells a writer that a chunk before its own failed after it had
// started: it rolls back and writes its chunk again behind the failed one.
var errRestart = errors.New("restart behind an earlier chunk")

// chunk is one keyset chunk on its way from the reader to a writer.
type chunk struct {
	seq  int64 // 1-based over all runs of the job; committed in this order
	b    *Batch
	last []Value
	rows int
}

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
	size      atomic.Int64 // rows to read in the next chunk
	granule   int          // rows per prepared run on the target (0: none)
	free      chan *Batch
}

func (tc *tableCopy) run(ctx context.Context) (TableResult, error) {
	res := TableResult{Table: tc.name}
	start := time.Now()
	err := retrySetup(ctx, startRetry(tc.opts.RetryFor), func() (err error) {
		tc.st, err = tc.src.Table(ctx, tc.name)
		return err
	})
	if err != nil {
		return res, fmt.Errorf("copy %s: %w", tc.name, err)
	}
	if sameFile(tc.src, tc.dst) || tc.src.ident == tc.dst.ident {
		return res, fmt.Errorf("copy %s: source and target are the same table in %s", tc.name, tc.src)
	}
	var created bool
	var deferred []string
	err = retrySetup(ctx, startRetry(tc.opts.RetryFor), func() (err error) {
		var c bool
		var d []string
		tc.dt, c, d, err = PrepareTarget(ctx, tc.src, tc.dst, tc.st, tc.opts.Create)
		if c {
			created, deferred = true, d
		}
		return err
	})
	res.Created = created
	if err != nil {
		return res, fmt.Errorf("copy %s: %w", tc.name, err)
	}
	tc.cols = tc.st.Copied()
	for _, c := range tc.cols {
		tc.names = append(tc.names, tc.dt.Column(tc.st.Columns[c].Name).Name)
	}
	for _, k := range tc.st.KeyColumns() {
		tc.keyNames = append(tc.keyNames, tc.dt.Column(k).Name)
	}

	var cp checkpointState
	if err := retrySetup(ctx, startRetry(tc.opts.RetryFor), func() (err error) {
		cp, err = loadCheckpoint(ctx, tc.dst, tc.dst.db, tc.opts.Job, tc.name)
		return err
	}); err != nil {
		return res, fmt.Errorf("copy %s: %w", tc.name, err)
	}
	if cp.found && tc.stale(ctx, cp, created) {
		cp = checkpointState{}
	}
	if created {
		// Remember the deferred indexes at once: a rerun after a crash
		// must still add them.
		cp = checkpointState{found: true, pending: deferred}
		if err := retrySetup(ctx, tc.opts.RetryFor, func() error {
			return saveCheckpoint(ctx, tc.dst, tc.dst.db, tc.opts.Job, tc.name, cp)
		}); err != nil {
			return res, fmt.Errorf("copy %s: %w", tc.name, err)
		}
	}
	res.Total = cp.rows
	if cp.done {
		again, err := tc.recheck(ctx, &cp, &res)
		if err != nil || !again {
			return res, err
		}
	}
	res.Resumed = cp.rows > 0
	tc.state, tc.next, tc.startRows = cp, cp.chunks+1, cp.rows
	tc.meter = NewMeter(cp.rows)
	tc.size.Store(int64(min(10000, tc.opts.MaxChunkRows))) // about 50 ms on a local server
	if tc.granule = tc.dst.dialect.preparedRows(len(tc.names)); tc.granule > 0 {
		if tc.opts.preparedRows > 0 {
			tc.granule = tc.opts.preparedRows
		}
	}
	note := "started"
	if res.Resumed {
		note = fmt.Sprintf("resumed after key (%s), %s rows already copied", strings.Join(cp.public("", "").LastKey, ", "), humanize.Comma(cp.rows))
	}
	tc.report(Progress{Done: cp.rows, Note: note})

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
	// The last chunk's rows have not waited for their share of the rate
	// limit yet: settle, so that the table's rows/s stays within it.
	if err := tc.opts.Control.Wait(ctx, 0); err != nil {
		return res, fmt.Errorf("copy %s: stopped: %w", tc.name, err)
	}
	if len(final.pending) > 0 {
		tc.report(Progress{Done: final.rows, Total: final.rows, Note: "adding indexes"})
		if err := retrySetup(ctx, tc.opts.RetryFor, func() error {
			return runDeferred(ctx, tc.dst, tc.dt.Name, final.pending)
		}); err != nil {
			return res, fmt.Errorf("copy %s: %w", tc.name, err)
		}
	}
	final.found, final.done, final.pending = true, true, nil
	if err := retrySetup(ctx, tc.opts.RetryFor, func() error {
		return saveCheckpoint(ctx, tc.dst, tc.dst.db, tc.opts.Job, tc.name, final)
	}); err != nil {
		return res, fmt.Errorf("copy %s: %w", tc.name, err)
	}
	if tc.opts.OnCheckpoint != nil {
		tc.opts.OnCheckpoint(final.public(tc.opts.Job, tc.name))
	}
	res.Seconds = time.Since(start).Seconds()
	if res.Seconds > 0 {
		res.RowsPerSec = float64(res.Rows) / res.Seconds
	}
	tc.report(Progress{Done: final.rows, Total: final.rows, RowsPerSec: res.RowsPerSec, Note: "done"})
	return res, nil
}

// stale reports whether a stored checkpoint no longer describes the target:
// the table was just created (so it had been dropped), or it was emptied.
func (tc *tableCopy) stale(ctx context.Context, cp checkpointState, created bool) bool {
	if created {
		return true
	}
	if cp.rows == 0 {
		return false
	}
	var one int
	err := tc.dst.db.QueryRowContext(ctx, "SELECT 1 FROM "+tc.dst.Quote(tc.dt.Name)+" LIMIT 1").Scan(&one)
	return isNoRows(err)
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
		return fmt.Errorf("copy %s: stopped: %w", tc.name, err)
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
		n := tc.chunkSize()
		b := tc.batch()
		var res ReadResult
		p := retryPolicy{what: "copy read", budget: tc.opts.RetryFor, failed: dropConn(&conn),
			retrying: func(err error) { tc.retried(fmt.Sprintf("retrying read after: %s", shortErr(err))) }}
		err, stop := p.run(ctx, onConn(ctx, tc.src, &conn, func(conn *sql.Conn) (err error) {
			res, err = tc.src.ReadChunk(ctx, conn, Read{Table: tc.st, Cols: tc.cols, After: after, Where: tc.opts.Where,
				Limit: n, MaxBytes: maxChunkBytes}, b)
			return err
		}))
		switch {
		case stop != nil:
			return stop
		case err != nil:
			return fmt.Errorf("copy %s: %w", tc.name, err)
		}
		if res.Rows == 0 {
			return nil
		}
		if err := tc.opts.Control.Wait(ctx, res.Rows); err != nil {
			return err
		}
		select {
		case out <- &chunk{seq: seq, b: b, last: res.Last, rows: res.Rows}:
		case <-ctx.Done():
			return ctx.Err()
		}
		seq++
		after = res.Last
		if !res.More {
			return nil
		}
	}
}

// write upserts queued chunks until the queue is closed.
func (tc *tableCopy) write(ctx context.Context, in <-chan *chunk) error {
	var conn *sql.Conn
	defer func() {
		if conn != nil {
			closeWriter(conn)
		}
	}()
	up := tc.dst.NewUpserter(ctx, tc.dt, tc.names, tc.keyNames)
	defer up.Close()
	if tc.opts.preparedRows > 0 && up.PreparedRows > 0 {
		up.PreparedRows = tc.opts.preparedRows
	}
	for c := range in {
		if err := tc.writeChunk(ctx, &conn, up, c); err != nil {
			return err
		}
		select {
		case tc.free <- c.b:
		default:
		}
	}
	return ctx.Err()
}

// writeChunk writes one chunk, retrying transient errors with backoff.
func (tc *tableCopy) writeChunk(ctx context.Context, connp **sql.Conn, up *Upserter, c *chunk) error {
	p := retryPolicy{what: "copy write", budget: tc.opts.RetryFor,
		failed: func() {
			if *connp != nil {
				closeWriter(*connp)
				*connp = nil
			}
		},
		retrying: func(err error) {
			tc.markFailed(c.seq)
			tc.retried(fmt.Sprintf("retrying chunk %d after: %s", c.seq, shortErr(err)))
		}}
	err, stop := p.run(ctx, func() error {
		for {
			if err := tc.waitClear(ctx, c.seq); err != nil {
				return err
			}
			// rolled back on a healthy connection: keep it, not a failure
			if err := tc.tryChunk(ctx, connp, up, c); !errors.Is(err, errRestart) {
				return err
			}
		}
	})
	switch {
	case err == nil:
		return nil
	case stop != nil:
		return stop
	case !Transient(err):
		return tc.failedRow(ctx, up, c, err)
	}
	return fmt.Errorf("copy %s: write chunk %d: %w", tc.name, c.seq, err)
}

// tryChunk writes c in one transaction on the target, waits until every
// earlier chunk is committed, then records the checkpoint in the same
// transaction and commits.
func (tc *tableCopy) tryChunk(ctx context.Context, connp **sql.Conn, up *Upserter, c *chunk) error {
	if *connp == nil {
		conn, err := tc.dst.db.Conn(ctx)
		if err != nil {
			return err
		}
		*connp = conn
		if err := tc.dst.writerSession(ctx, conn, tc.indexed(), utf8Target(tc.dt, tc.names)); err != nil {
			return err
		}
	}
	if err := up.Ready(ctx, c.b); err != nil {
		return err
	}
	tx, err := (*connp).BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	t0 := time.Now()
	if err := up.Write(ctx, tx, c.b); err != nil {
		tx.Rollback()
		return err
	}
	took := time.Since(t0)
	if err := tc.waitTurn(ctx, c.seq); err != nil {
		tx.Rollback()
		return err
	}
	// This writer holds the turn: every earlier chunk is committed and no
	// later one can commit, so tc.state is stable.
	st := tc.state
	st.found, st.last, st.rows, st.chunks = true, c.last, st.rows+int64(c.rows), c.seq
	if err := saveCheckpoint(ctx, tc.dst, tx, tc.opts.Job, tc.name, st); err != nil {
		tx.Rollback()
		return err
	}
	err = tx.Commit()
	if err == nil && tc.opts.commitHook != nil {
		err = tc.opts.commitHook(c.seq)
	}
	if err != nil {
		// The commit may have landed before the connection broke: the
		// checkpoint, written in the same transaction, tells.
		if !tc.landed(ctx, c.seq) {
			return err
		}
	}
	tc.committed(c, st, took)
	return nil
}

// landed reports whether the chunk with sequence seq is committed.
func (tc *tableCopy) landed(ctx context.Context, seq int64) bool {
	var cp checkpointState
	err := retrySetup(ctx, tc.opts.RetryFor, func() (err error) {
		cp, err = loadCheckpoint(ctx, tc.dst, tc.dst.db, tc.opts.Job, tc.name)
		return err
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
	tc.adapt(c, took)

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

// chunkSize is the number of rows of the next read: adapted to the chunk
// time, and small enough to keep a rate limit smooth.
func (tc *tableCopy) chunkSize() int {
	n := int(tc.size.Load())
	if m := tc.opts.Control.maxRows(tc.opts.ChunkTime); m > 0 && n > m {
		n = m
	}
	if g := tc.granule; g > 1 && n > g {
		n -= n % g // whole prepared runs: no rows left over to send as text
	}
	return max(n, 1)
}

// adapt sizes the next chunks from how long this one took to write.
func (tc *tableCopy) adapt(c *chunk, took time.Duration) {
	cur := tc.size.Load()
	if c.rows < int(cur)/2 || took <= 0 {
		return // a short last chunk says little
	}
	want := int64(float64(c.rows) / took.Seconds() * tc.opts.ChunkTime.Seconds())
	want = min(max(want, cur/2), cur*2)
	if c.b != nil { // rows held in memory: keep a chunk within maxChunkBytes
		if bpr := int64(c.b.Size() / c.rows); bpr > 0 {
			want = min(want, maxChunkBytes/bpr)
		}
	}
	tc.size.Store(min(max(want, 100), int64(tc.opts.MaxChunkRows)))
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

// mysqlWriterSession prepares a MySQL target connection for bulk writing.
func mysqlWriterSession(ctx context.Context, conn *sql.Conn, rawText bool) error {
	// Unique and foreign key checks off: the rows come from a table that
	// already satisfied them, and InnoDB buffers secondary index changes.
	// READ COMMITTED avoids gap locks between parallel writers.
	stmts := []string{
		"SET SESSION foreign_key_checks = 0, unique_checks = 0",
		"SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
	}
	if rawText {
		// The values are UTF-8 already and every text column of the target
		// stores UTF-8: as binary strings the server skips converting and
		// measuring each one (a tenth of its CPU on the bench), and still
		// refuses a byte sequence that is not valid in the column.
		stmts = append(stmts, "SET SESSION character_set_client = binary")
	}
	for _, q := range stmts {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// closeWriter closes a connection set up by writerSession without giving it
// back to the pool: its session settings must not reach other work.
func closeWriter(conn *sql.Conn) {
	conn.Raw(func(any) error { return driver.ErrBadConn })
	conn.Close()
}

// utf8Target reports whether every column written to dt stores text as
// UTF-8 or bytes, so that values can be sent without conversion.
func utf8Target(dt *Table, names []string) bool {
	for _, n := range names {
		c := dt.Column(n)
		if c == nil || c.Family == FamJSON { // MySQL 8 refuses JSON from a binary string
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
