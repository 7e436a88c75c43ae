package engine

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/dustin/go-humanize"
	"time"
)

// repairBatch is the number of keys repaired in one target transaction.
const repairBatch = 1000

// repair makes the target's differing rows equal to the source's: for each
// differing key it reads the source row again (the source is the truth) and
// upserts it, and deletes the key on the target when the source has no such
// row. A target without a unique key on the key columns (where duplicates
// can exist) has the key's rows deleted and the source row inserted instead.
// Each batch of keys is one target transaction, so a retry after a transient
// error repeats whole batches, which are idempotent. Then every repaired key
// is compared again, and the table's verdict is the one after the repair.
func (tv *tableVerify) repair(ctx context.Context) error {
	r := &tv.res
	if tv.overflow > 0 {
		return fmt.Errorf("verify %s: %d differences are too many to repair row by row; copy the table again", tv.name, r.DiffCount)
	}
	seen := map[string]bool{}
	var keys [][]Value
	for _, d := range tv.diffs {
		if !seen[d.canon] {
			seen[d.canon] = true
			keys = append(keys, d.key)
		}
	}
	var unique bool
	err := retrySetup(ctx, tv.opts.RetryFor, func() error {
		if err := tv.dst.loadUniques(ctx, tv.dt); err != nil {
			return err
		}
		unique = hasUnique(tv.dt, tv.st.KeyColumns())
		return nil
	})
	if err != nil {
		return fmt.Errorf("verify %s: repair: %w", tv.name, err)
	}
	names := make([]string, len(tv.dcols))
	for i, c := range tv.dcols {
		names[i] = tv.dt.Columns[c].Name
	}
	var keyNames []string
	for _, k := range tv.dt.Key {
		keyNames = append(keyNames, tv.dt.Columns[k].Name)
	}
	up := tv.dst.NewUpserter(ctx, tv.dt, names, keyNames)
	defer up.Close()
	if !unique {
		up.suffix = "" // plain INSERT: the key's rows were deleted first
	}
	tv.report("repairing " + humanize.Comma(int64(len(keys))) + " rows")
	var sc *sql.Conn
	defer func() {
		if sc != nil {
			sc.Close()
		}
	}()
	b := NewBatch(len(tv.scols))
	for start := 0; start < len(keys); start += repairBatch {
		part := keys[start:min(start+repairBatch, len(keys))]
		var n int64
		err := tv.retry(ctx, "read source rows to repair", &sc, tv.src, func(conn *sql.Conn) error {
			b.Reset()
			return readKeysBatched(ctx, tv.src, conn, tv.st, tv.scols, part, b)
		})
		if err == nil {
			err = tv.repairWrite(ctx, part, b, up, unique, &n)
		}
		if err != nil {
			return err
		}
		r.Repaired += n
	}

	// Verify the repaired keys again.
	w := &verifyWorker{tv: tv}
	defer w.close()
	var after []RowDiff
	for start := 0; start < len(keys); start += repairBatch {
		part := keys[start:min(start+repairBatch, len(keys))]
		cmp, err := w.compareKeys(ctx, part)
		if err != nil {
			return err
		}
		after = append(after, cmp.diffs...)
	}
	var missing, different, extra int64
	for _, d := range after {
		switch d.Type {
		case DiffMissing:
			missing++
		case DiffDifferent:
			different++
		default:
			extra++
		}
	}
	r.Remaining = int64(len(after))
	r.Matched = max(r.Rows-missing-different, 0)
	r.MatchRate = matchRate(r.Matched, r.Rows, extra)
	r.RemainingDiffs = nil
	for _, d := range after {
		if len(r.RemainingDiffs) >= tv.opts.MaxDiffs {
			break
		}
		r.RemainingDiffs = append(r.RemainingDiffs, d)
	}
	return nil
}

// repairWrite writes one batch of repaired keys in one target transaction:
// b holds the source rows of those keys that the source still has.
func (tv *tableVerify) repairWrite(ctx context.Context, keys [][]Value, b *Batch, up *Upserter, unique bool, n *int64) error {
	sh := tv.shape
	present := map[string]bool{}
	var kb []byte
	for r := 0; r < b.Len(); r++ {
		kb = sh.canonKey(kb[:0], b, r, sh.srcCols)
		present[string(kb)] = true
	}
	var del [][]Value
	for _, k := range keys {
		kb = kb[:0]
		for i, p := range sh.keyPos {
			kb = appendPrefixed(kb, k[i], sh.srcCols[p], sh.scale[p])
		}
		if !unique || !present[string(kb)] {
			del = append(del, k)
		}
	}
	var first time.Time
	for attempt := 1; ; attempt++ {
		_, err := tv.repairTx(ctx, del, b, up)
		if err == nil {
			*n = int64(len(keys))
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if first.IsZero() {
			first = time.Now()
		}
		if !Transient(err) || time.Since(first) > tv.opts.RetryFor {
			return fmt.Errorf("verify %s: repair: %w", tv.name, err)
		}
		tv.report(fmt.Sprintf("retrying repair after: %s", shortErr(err)))
		if err := sleepCtx(ctx, backoff(attempt)); err != nil {
			return err
		}
	}
}

func (tv *tableVerify) repairTx(ctx context.Context, del [][]Value, b *Batch, up *Upserter) (int64, error) {
	if err := up.Ready(ctx, b); err != nil {
		return 0, err
	}
	tx, err := tv.dst.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	deleted, err := tv.dst.Delete(ctx, tx, tv.dt, del)
	if err != nil {
		return 0, err
	}
	if b.Len() > 0 {
		if err := up.Write(ctx, tx, b); err != nil {
			return 0, fmt.Errorf("write repaired rows of %s in %s: %w", tv.dt.Name, tv.dst, err)
		}
	}
	return deleted, tx.Commit()
}
