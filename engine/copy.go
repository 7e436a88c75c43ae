package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"runway/runbook/dlog"
)

// CopyOptions configure Copy.
type CopyOptions struct {
	Tables []string // tables to copy, in order; same name on both sides
	Where  string   // filter in the source's SQL, for pilot slices; "" = all rows
	Create bool     // create a missing target table, translating types across engines
	// AllowTargetTriggers writes to target tables that have triggers;
	// otherwise the preflight refuses them (see Preflight).
	AllowTargetTriggers bool

	// Job names the checkpoints, e.g. "<session>/<item>". Default: derived
	// from the source, the target and Where, so that rerunning the same copy
	// resumes it.
	Job string
	// ChunkTime is the time one chunk should take; chunk sizes adapt to it.
	// Default 500ms.
	ChunkTime time.Duration
	Control   *Control     // rate limit and pause, shared with the console; nil = none
	Progress  ProgressFunc // nil = none
	// OnCheckpoint is called after each committed chunk, in commit order.
	OnCheckpoint func(Checkpoint)
	// OnPlan is called with the preflight's plan before any write, also when
	// its problems stop the copy: what the copy acted on, for the record.
	OnPlan func(*Plan)

	// Writers is the number of target connections writing chunks in
	// parallel (commits stay in key order). Default 2 on MySQL (see
	// mysqlDialect.copyWriters), 1 on PostgreSQL; always 1 for SQLite.
	Writers int
	// MaxChunkRows caps the rows of one chunk. Default 200,000.
	MaxChunkRows int
	// RetryFor is how long a failing chunk is retried on transient errors
	// before the copy gives up. Default 2 minutes.
	RetryFor time.Duration

	// generic makes SQLite→SQLite go through runway's reader and writers
	// instead of an attached INSERT … SELECT (for tests of that path).
	generic bool
	// batched sends the rows of a PostgreSQL→PostgreSQL copy through
	// batches rather than streaming them (for tests of that path).
	batched bool
	// chunked keeps an empty SQLite target from taking the whole table in
	// one transaction (for tests of the attached chunks).
	chunked bool
	// preparedRows overrides Upserter.PreparedRows (tests reach the
	// prepared path with few rows).
	preparedRows int
	// commitHook, set by tests, turns a successful commit into an error,
	// as when a connection breaks after the server committed.
	commitHook func(seq int64) error
	// stallAfter, set by tests, replaces the stall limit of a chunk's
	// round trips (see stallLimit).
	stallAfter time.Duration
}

// CopyResult is what Copy did, table by table.
type CopyResult struct {
	Job    string
	Tables []TableResult
}

// TableResult is what Copy did to one table.
type TableResult struct {
	Table      string
	Rows       int64 // rows copied by this run
	Total      int64 // rows committed over all runs, this one included
	Seconds    float64
	RowsPerSec float64
	Chunks     int
	Retries    int
	Created    bool // the target table was created
	// NotCarried says what the created table lacks of the source's
	// definition (defaults, numbering, indexes); see carryNotes.
	NotCarried []string
	Resumed    bool // started from an earlier run's checkpoint
	Skipped    bool // an earlier run had finished it, and the tables agree
	// Streamed tells that the rows went from server to server in the
	// servers' own text (PostgreSQL's COPY), never decoded by runway.
	Streamed bool
	// Note says what a rerun over a finished table found: rows added to the
	// source since, or a target short of rows it was copied again for.
	Note string
}

// Copy copies the tables from src to dst: keyset chunks in key order, read
// ahead while earlier chunks are written, each chunk upserted and
// checkpointed in one target transaction. A rerun with the same Job resumes
// after the last committed chunk and skips finished tables. Transient errors
// are retried per chunk with backoff; cancelling ctx stops after rolling back
// the chunks in flight. The result lists the tables handled so far, also on
// error.
func Copy(ctx context.Context, src, dst *DB, opts CopyOptions) (CopyResult, error) {
	res, err := copyTables(ctx, src, dst, opts)
	return res, stoppedWhile(ctx, "copy", err)
}

func copyTables(ctx context.Context, src, dst *DB, opts CopyOptions) (CopyResult, error) {
	if len(opts.Tables) == 0 {
		return CopyResult{}, errors.New("copy: no tables named")
	}
	if opts.ChunkTime <= 0 {
		opts.ChunkTime = 500 * time.Millisecond
	}
	if opts.Writers <= 0 {
		opts.Writers = dst.dialect.copyWriters()
	}
	if !dst.dialect.parallelWrites() {
		// one writer at a time (SQLite): a second would only wait on the
		// file lock while the first holds it for its turn.
		opts.Writers = 1
	}
	if opts.MaxChunkRows <= 0 {
		opts.MaxChunkRows = 200_000
	}
	if opts.RetryFor <= 0 {
		opts.RetryFor = 2 * time.Minute
	}
	if opts.Job == "" {
		opts.Job = DefaultJob(src, dst, opts.Where)
	}
	res := CopyResult{Job: opts.Job}
	if err := reachBoth(ctx, src, dst, opts.RetryFor); err != nil {
		return res, err
	}
	plan, err := preflightFor(ctx, src, dst, opts.RetryFor, PreflightOptions{Engine: PlanCopy, Tables: opts.Tables,
		Where: opts.Where, Create: opts.Create, AllowTargetTriggers: opts.AllowTargetTriggers,
		ChunkTime: opts.ChunkTime, MaxChunkRows: opts.MaxChunkRows})
	if plan != nil && opts.OnPlan != nil {
		opts.OnPlan(plan)
	}
	if err != nil {
		return res, err
	}
	opts.Tables = plan.TableNames()
	release, err := lockJob(ctx, dst, opts.Job, opts.Tables)
	if err != nil {
		return res, err
	}
	defer release()
	err = retrySetup(ctx, startRetry(opts.RetryFor), func() error { return ensureCheckpointTable(ctx, dst) })
	if err != nil {
		return res, err
	}
	for _, name := range opts.Tables {
		tc := &tableCopy{src: src, dst: dst, name: name, opts: opts}
		tr, err := tc.run(ctx)
		dlog.From(ctx).Debug("engine.copy.table", "table", tr.Table, "rows", tr.Rows, "chunks", tr.Chunks,
			"chunk_rows", tc.chunker.size.Load(), "streamed", tr.Streamed, "retries", tr.Retries, "seconds", tr.Seconds, "failed", err != nil)
		res.Tables = append(res.Tables, tr)
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// DefaultJob is the checkpoint namespace of a copy without an explicit Job.
func DefaultJob(src, dst *DB, where string) string {
	h := sha256.Sum256([]byte(src.ident + "\x00" + dst.ident + "\x00" + where))
	return "copy:" + hex.EncodeToString(h[:6])
}

// startRetry is how long the first contact with a database is retried: a
// server restarting right then is waited for, a wrong address is reported
// soon. Once rows flow, failures are retried for the full RetryFor.
func startRetry(retryFor time.Duration) time.Duration { return min(retryFor, 10*time.Second) }

// reachBoth makes the first contact with both databases, so that a server
// not reachable is named with how long it was tried.
func reachBoth(ctx context.Context, src, dst *DB, retryFor time.Duration) error {
	for _, db := range []*DB{src, dst} {
		start := time.Now()
		if err := db.Reach(ctx, startRetry(retryFor)); err != nil {
			return err
		}
		dlog.From(ctx).Debug("engine.reach", "db", db.String(), "ms", time.Since(start).Milliseconds())
	}
	return nil
}

// retrySetup runs a setup step, retrying transient errors with backoff for
// retryFor from the start.
func retrySetup(ctx context.Context, retryFor time.Duration, f func() error) error {
	p := retryPolicy{what: "setup", budget: retryFor, since: time.Now()}
	err, stop := p.run(ctx, f)
	if stop != nil && Transient(err) {
		return stop // the wait for the next attempt was cut short
	}
	return err
}
