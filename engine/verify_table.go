package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dustin/go-humanize"
)

// maxKeptDiffs bounds the differences held in memory for reconciliation
// and repair; beyond it differences are only counted.
const maxKeptDiffs = 1_000_000

// tableVerify verifies one table.
type tableVerify struct {
	src, dst *DB
	name     string
	opts     VerifyOptions

	st, dt       *Table
	scols, dcols []int // compared columns, same order on both sides
	shape        *rowShape
	method       string
	sexpr, dexpr string // server row texts
	samp         sampler
	spans        *spanCutter // cuts chunks by key span (MethodServer, one integer key)

	streak   atomic.Bool // the last chunk narrowed had differences
	wholeCut atomic.Bool // a chunk's row texts overflowed a whole list
	free     chan *Batch // source batches to reuse (MethodRows)

	mu       sync.Mutex
	res      VerifyTable
	diffs    []RowDiff // every difference found, up to maxKeptDiffs
	overflow int64     // differences beyond maxKeptDiffs
	done     int64     // source rows passed (checked or sampled out)
	total    int64
	meter    *Meter
	lastCP   time.Time
}

func (tv *tableVerify) run(ctx context.Context) (VerifyTable, error) {
	start := time.Now()
	tv.res = VerifyTable{Table: tv.name}
	err := retrySetup(ctx, startRetry(tv.opts.RetryFor), func() error { return tv.setup(ctx) })
	if err != nil {
		return tv.res, fmt.Errorf("verify %s: %w", tv.name, err)
	}
	tv.res.Method = tv.method
	tv.samp = sampler{share: tv.opts.Sample, table: tv.name}
	tv.meter = newActiveMeter(0, tv.opts.Control)
	go tv.estimate(ctx)
	tv.report("started (" + tv.methodNote() + ")")

	err = tv.pipeline(ctx)
	if err == nil {
		err = tv.reconcile(ctx)
	}
	tv.tally()
	if err == nil && tv.opts.Repair && tv.res.DiffCount > 0 {
		if tv.opts.BeforeRepair != nil {
			tv.opts.BeforeRepair(tv.res)
		}
		err = tv.repair(ctx)
	}
	r := &tv.res
	r.Seconds = time.Since(start).Seconds()
	if r.Seconds > 0 {
		r.RowsPerSec = float64(r.Rows) / r.Seconds
	}
	r.Passed = err == nil && r.MatchRate >= tv.opts.MinMatch
	if !tv.samp.all() {
		r.Sampled = SampleNote(tv.samp.share, r.ChunksChecked, r.Chunks)
	}
	if err != nil {
		if ctx.Err() != nil {
			return *r, fmt.Errorf("verify %s: stopped: %w", tv.name, stopped(ctx.Err()))
		}
		return *r, err
	}
	tv.checkpoint(nil, true)
	tv.report(fmt.Sprintf("done: %s", tv.verdict()))
	return *r, nil
}

// setup reads both tables' shapes and chooses the method.
func (tv *tableVerify) setup(ctx context.Context) error {
	st, err := tv.src.Table(ctx, tv.name)
	if err != nil {
		return err
	}
	dt, err := tv.dst.describe(ctx, tv.name)
	if err != nil {
		if errors.Is(err, ErrNoTable) {
			return fmt.Errorf("target table %s does not exist in %s", tv.name, tv.dst)
		}
		return err
	}
	if sameFile(tv.src, tv.dst) {
		return fmt.Errorf("source and target are the same table in %s", tv.src)
	}
	if err := matchColumns(st, dt, tv.dst); err != nil {
		return err
	}
	// The target is read by the source's key, whatever keys it has itself:
	// a target without a unique key can hold a key twice, and verify says so.
	tv.st, tv.dt = st, dt
	tv.scols = st.Copied()
	sh, dcols := pairTables(st, dt)
	tv.dcols = dcols
	tv.shape = sh

	both := checksumsOnBoth(tv.src, tv.dst)
	switch tv.opts.Method {
	case MethodServer:
		if !both {
			return fmt.Errorf("server checksums need the same kind of database on both sides: MySQL/MariaDB or PostgreSQL")
		}
		tv.method = MethodServer
	case MethodRows:
		tv.method = MethodRows
	case "":
		tv.method = MethodRows
		if both && sameTypes(st, dt, tv.scols, tv.dcols) {
			tv.method = MethodServer
		}
	default:
		return fmt.Errorf("unknown verify method %q (want %s or %s)", tv.opts.Method, MethodServer, MethodRows)
	}
	var sUTF8, dUTF8 map[string]bool
	if both && tv.method == MethodServer {
		var sColl, dColl map[string]string
		var err error
		if sUTF8, sColl, err = tv.src.dialect.checksums().textColumns(ctx, tv.src, st.Name); err != nil {
			return err
		}
		if dUTF8, dColl, err = tv.dst.dialect.checksums().textColumns(ctx, tv.dst, dt.Name); err != nil {
			return err
		}
		for i, c := range tv.scols {
			// Another collation orders text keys differently, and another
			// character set spells the same text in other bytes: compare
			// values in runway then, unless told otherwise.
			a, b := strings.ToLower(st.Columns[c].Name), strings.ToLower(dt.Columns[tv.dcols[i]].Name)
			if sColl[a] != dColl[b] && tv.opts.Method == "" {
				tv.method = MethodRows
			}
		}
	}
	if tv.method == MethodServer {
		tv.sexpr = tv.src.dialect.checksums().rowText(tv.src, st, tv.scols, sUTF8)
		tv.dexpr = tv.dst.dialect.checksums().rowText(tv.dst, dt, tv.dcols, dUTF8)
		if tv.opts.rowText != nil {
			tv.sexpr, tv.dexpr = tv.opts.rowText(tv.sexpr), tv.opts.rowText(tv.dexpr)
		}
	}
	return nil
}

// sameTypes reports whether the compared columns have the same declared
// types on both sides, so that both servers print the same row text.
func sameTypes(st, dt *Table, scols, dcols []int) bool {
	for i := range scols {
		a, b := st.Columns[scols[i]], dt.Columns[dcols[i]]
		if !strings.EqualFold(a.Type, b.Type) || a.Nullable != b.Nullable {
			return false
		}
	}
	return true
}

func (tv *tableVerify) methodNote() string {
	if tv.method == MethodServer {
		return "checksums on both servers"
	}
	return "rows compared in runway"
}

// estimate fills the expected row count for progress, cheaply.
func (tv *tableVerify) estimate(ctx context.Context) {
	n, ok := tv.src.dialect.estimate(ctx, tv.src, tv.st, tv.opts.Where)
	if !ok {
		return
	}
	tv.mu.Lock()
	tv.total = n
	tv.mu.Unlock()
}

// report sends a progress sample.
func (tv *tableVerify) report(note string) {
	if tv.opts.Progress == nil {
		return
	}
	tv.mu.Lock()
	done, total := tv.done, tv.total
	if total > 0 && done > total {
		total = done
	}
	rate := tv.meter.Add(done)
	eta := tv.meter.ETA(done, total)
	tv.mu.Unlock()
	tv.opts.Progress(Progress{Engine: "verify", Table: tv.name, Done: done, Total: total, RowsPerSec: rate, ETA: eta, Note: note})
}

// checkpoint reports how far the verify got, at most once a second and
// once at the end.
func (tv *tableVerify) checkpoint(last []Value, done bool) {
	if tv.opts.OnCheckpoint == nil {
		return
	}
	now := time.Now()
	if !done && now.Sub(tv.lastCP) < time.Second {
		return
	}
	tv.lastCP = now
	cp := Checkpoint{Job: tv.opts.Job, Table: tv.name, Rows: tv.res.Rows, Done: done}
	for _, v := range last {
		cp.LastKey = append(cp.LastKey, v.Text())
	}
	tv.opts.OnCheckpoint(cp)
}

// keep records differences found in a chunk.
func (tv *tableVerify) keep(ds []RowDiff) {
	for _, d := range ds {
		if len(tv.diffs) < maxKeptDiffs {
			tv.diffs = append(tv.diffs, d)
		} else {
			tv.overflow++
		}
	}
}

// tally derives the table's counts from the differences found.
func (tv *tableVerify) tally() {
	r := &tv.res
	r.Missing, r.Extra, r.Different = 0, 0, 0
	for _, d := range tv.diffs {
		switch d.Type {
		case DiffMissing:
			r.Missing++
		case DiffDifferent:
			r.Different++
		default:
			r.Extra++
		}
	}
	r.DiffCount = int64(len(tv.diffs)) + tv.overflow
	r.Remaining = r.DiffCount
	r.Matched = max(r.Rows-r.Missing-r.Different, 0)
	if tv.overflow > 0 { // not itemised: count them against the match
		r.Matched = max(r.Matched-tv.overflow, 0)
	}
	r.MatchRate = matchRate(r.Matched, r.Rows, r.Extra)
	r.Diffs = nil
	for _, d := range tv.diffs {
		if len(r.Diffs) >= tv.opts.MaxDiffs {
			break
		}
		r.Diffs = append(r.Diffs, d)
	}
}

func (tv *tableVerify) verdict() string {
	r := tv.res
	if r.DiffCount == 0 {
		return humanize.Comma(r.Rows) + " rows match"
	}
	s := fmt.Sprintf("%s differences (%s missing, %s extra, %s different)", humanize.Comma(r.DiffCount), humanize.Comma(r.Missing), humanize.Comma(r.Extra), humanize.Comma(r.Different))
	if r.Repaired > 0 || tv.opts.Repair {
		s += fmt.Sprintf(", %s rows repaired, %s remaining", humanize.Comma(r.Repaired), humanize.Comma(r.Remaining))
	}
	return s
}
