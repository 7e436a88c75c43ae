package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"runway/runbook/dlog"
)

// VerifyOptions configure Verify.
type VerifyOptions struct {
	Tables []string // same name on both sides
	Where  string   // filter in both databases' SQL, for pilot slices; "" = all rows
	// Sample is the share of chunks checked (0 or 1 = every chunk). The
	// chunks are chosen by a hash of the table and the chunk number, so a
	// rerun checks the same ones.
	Sample float64
	// Repair re-copies the differing rows from the source (the source is the
	// truth), deletes the target's extra rows, and verifies those keys again.
	// It writes the way Copy writes (the same session: foreign key checks
	// off, the same sql_mode and character set handling).
	Repair bool
	// BeforeRepair, when set, is given a table's verdict (its differences
	// listed) before the repair writes anything.
	BeforeRepair func(VerifyTable)
	// MinMatch is the match rate at or above which a table passes; 0 = 1.0.
	MinMatch float64
	// ChunkRows is the number of source rows per chunk. Default 100,000
	// where both servers checksum their rows, 10,000 where runway reads
	// them (see chunkRows).
	ChunkRows int
	// Workers is the number of chunks in flight. Each compares both sides at
	// the same time. Default 2.
	Workers int
	// MaxDiffs caps the differences listed in the result (all are counted,
	// and all are repaired). Default 1000.
	MaxDiffs int
	// Method forces a method: "server" (MySQL on both sides only) or "rows";
	// "" chooses (see Verify).
	Method string
	// AllowTargetTriggers lets a repair write to target tables that have
	// triggers; otherwise the preflight refuses them (see Preflight).
	AllowTargetTriggers bool

	Job          string       // names the checkpoints reported; default "verify"
	Control      *Control     // pause and rate limit (rows/s); nil = none
	Progress     ProgressFunc // nil = none
	OnCheckpoint func(Checkpoint)
	// RetryFor is how long a failing chunk is retried on transient errors.
	// Default 2 minutes.
	RetryFor time.Duration

	// spanCutter, set by tests, sees each table's span cutter.
	spanCutter func(*spanCutter)
	// stallAfter, set by tests, replaces minStall as the time one step's
	// round trips may go unanswered.
	stallAfter time.Duration
	// listBytes, set by tests, replaces listMaxBytes.
	listBytes int64
	// rowText, set by tests, rewrites both sides' server row texts.
	rowText func(string) string
}

// Verify methods.
const (
	MethodServer = "server" // per-chunk checksums computed by both MySQL servers
	MethodRows   = "rows"   // rows streamed and compared as canonical values in Go
)

// DiffType says how a row differs.
type DiffType string

// Ways a row can differ. Duplicate is an extra row whose key the other side
// also has (possible only where the target has no unique key on it).
const (
	DiffMissing   DiffType = "missing"   // on the source, not on the target
	DiffExtra     DiffType = "extra"     // on the target, not on the source
	DiffDifferent DiffType = "different" // on both, with different values
	DiffDuplicate DiffType = "duplicate" // one more row with a key the other side has once
)

// RowDiff is one differing row.
type RowDiff struct {
	Table   string
	Key     []string // key values as text (bytes in hex), in key order
	Type    DiffType
	Columns []string // differing columns, for DiffDifferent
	key     []Value  // the key as read, for repair
	canon   string   // canonical key, for matching
}

func (d RowDiff) String() string {
	s := fmt.Sprintf("%s (%s) %s", d.Table, strings.Join(d.Key, ", "), d.Type)
	if len(d.Columns) > 0 {
		s += ": " + strings.Join(d.Columns, ", ")
	}
	return s
}

// VerifyTable is the verdict on one table.
type VerifyTable struct {
	Table  string
	Method string // MethodServer or MethodRows
	// Rows counts the source rows in the chunks checked, TargetRows the
	// target's. Matched rows are on both sides with equal values.
	Rows, TargetRows                       int64
	Matched, Missing, Extra, Different     int64
	Chunks, ChunksChecked, ChunksDiffering int
	// MatchRate is Matched / (Rows + Extra): every source row that is not on
	// the target as it is, and every target row too many, lowers it. 1 when
	// both sides are empty. After a repair it is the rate after the repair.
	MatchRate float64
	Passed    bool
	Sampled   string    // what a sample checked and what it promises; "" = every chunk
	Diffs     []RowDiff // the first differences found, in key order per chunk
	DiffCount int64     // differences found (before any repair)
	// Repaired counts the differing keys the repair wrote or deleted;
	// Remaining the differences the second verification still found, the
	// first of which are in RemainingDiffs.
	Repaired, Remaining int64
	RemainingDiffs      []RowDiff
	Repairs             []RowRepair // what the repair changed, the first MaxDiffs
	Seconds             float64
	RowsPerSec          float64
}

// VerifyResult is the verdict on every table.
type VerifyResult struct {
	Job       string
	Tables    []VerifyTable
	Rows      int64       // source rows checked
	Matched   int64       // rows equal on both sides
	Extra     int64       // target rows too many
	DiffCount int64       // differences found
	Remaining int64       // differences left after a repair (= DiffCount without repair)
	Repaired  int64       // rows written or deleted by the repair
	Repairs   []RowRepair // what the repair changed, the first MaxDiffs
	MatchRate float64     // Matched / (Rows + Extra) over all tables
	Passed    bool        // every table reached MinMatch
	Diffs     []RowDiff
}

// Verify compares the tables of src (the truth) and dst chunk by chunk and
// narrows every differing chunk down to the keys that are missing, extra or
// different, naming the columns.
//
// Method: when both sides are MySQL/MariaDB and the table's column types are
// the same, each server computes per chunk COUNT(*) and the sum of a 64-bit
// slice of SHA1 over a canonical row text (see mysqlDialect.rowText); otherwise both
// sides' rows are read in key order and compared as canonical values in Go
// (see appendCanon). Either way the chunks are key ranges cut on the source,
// and the same ranges are read on the target, so the last chunk is open-ended
// and catches target rows beyond the source's last key.
//
// Cancelling ctx stops between chunks; the result then holds what was
// compared so far, and an error. Transient errors are retried per chunk.
func Verify(ctx context.Context, src, dst *DB, opts VerifyOptions) (VerifyResult, error) {
	res, err := verifyTables(ctx, src, dst, opts)
	return res, stoppedWhile(ctx, "verify", err)
}

func verifyTables(ctx context.Context, src, dst *DB, opts VerifyOptions) (VerifyResult, error) {
	if len(opts.Tables) == 0 {
		return VerifyResult{}, errors.New("verify: no tables named")
	}
	opts = verifyDefaults(opts)
	res := VerifyResult{Job: opts.Job, Passed: true}
	if err := reachBoth(ctx, src, dst, opts.RetryFor); err != nil {
		return VerifyResult{Job: opts.Job}, err
	}
	plan, err := preflightFor(ctx, src, dst, opts.RetryFor, PreflightOptions{Engine: PlanVerify, Tables: opts.Tables,
		Where: opts.Where, Repair: opts.Repair, AllowTargetTriggers: opts.AllowTargetTriggers, ChunkRows: opts.ChunkRows})
	if err != nil {
		return VerifyResult{Job: opts.Job}, err
	}
	opts.Tables = plan.TableNames()
	for _, name := range opts.Tables {
		tv := &tableVerify{src: src, dst: dst, name: name, opts: opts}
		var tr VerifyTable
		tr, err = tv.run(ctx)
		dlog.From(ctx).Debug("engine.verify.table", "table", tr.Table, "method", tr.Method, "rows", tr.Rows,
			"chunks", tr.Chunks, "checked", tr.ChunksChecked, "differing", tr.ChunksDiffering, "seconds", tr.Seconds, "failed", err != nil)
		res.add(tr, opts.MaxDiffs)
		if err != nil {
			res.Passed = false
			break
		}
	}
	res.MatchRate = matchRate(res.Matched, res.Rows, res.Extra)
	return res, err
}

func verifyDefaults(o VerifyOptions) VerifyOptions {
	if o.MinMatch <= 0 {
		o.MinMatch = 1
	}
	if o.Workers <= 0 {
		o.Workers = 2
	}
	if o.MaxDiffs <= 0 {
		o.MaxDiffs = 1000
	}
	if o.RetryFor <= 0 {
		o.RetryFor = 2 * time.Minute
	}
	if o.Job == "" {
		o.Job = "verify"
	}
	return o
}

func (r *VerifyResult) add(t VerifyTable, maxDiffs int) {
	r.Tables = append(r.Tables, t)
	r.Rows += t.Rows
	r.Matched += t.Matched
	r.Extra += t.Extra
	r.DiffCount += t.DiffCount
	r.Remaining += t.Remaining
	r.Repaired += t.Repaired
	r.Passed = r.Passed && t.Passed
	for _, d := range t.Diffs {
		if len(r.Diffs) >= maxDiffs {
			break
		}
		r.Diffs = append(r.Diffs, d)
	}
	for _, c := range t.Repairs {
		if len(r.Repairs) >= maxDiffs {
			break
		}
		r.Repairs = append(r.Repairs, c)
	}
}

// matchRate is matched / (rows + extra), 1 when there is nothing to compare.
func matchRate(matched, rows, extra int64) float64 {
	if rows+extra == 0 {
		return 1
	}
	return float64(matched) / float64(rows+extra)
}
