package engine

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/dustin/go-humanize"
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
	if err := tv.repairKeys(ctx, keys); err != nil {
		return err
	}
	return tv.recheckRepaired(ctx, keys)
}

// repairKeys writes the source's rows of keys to the target, batch by batch.
func (tv *tableVerify) repairKeys(ctx context.Context, keys [][]Value) error {
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
	// The target is written the way copy writes it (see writerSession):
	// foreign key checks off, so a child row whose parent is not there
	// (yet) is repaired as it was copied.
	rawText := utf8Target(tv.dt, names)
	w := &repairWriter{tv: tv, up: up, names: names, keyNames: keyNames, actions: tv.repairActions(), wc: &writerConn{d: tv.dst,
		prepare: func(ctx context.Context, conn *sql.Conn) error { return tv.dst.writerSession(ctx, conn, true, rawText) }}}
	defer w.wc.drop(nil)
	b := NewBatch(len(tv.scols))
	for start := 0; start < len(keys); start += repairBatch {
		part := keys[start:min(start+repairBatch, len(keys))]
		var n int64
		err := tv.retry(ctx, "read source rows to repair", "reading rows to repair", &sc, tv.src, func(ctx context.Context, conn *sql.Conn) error {
			b.Reset()
			return readKeysBatched(ctx, tv.src, conn, tv.st, tv.scols, part, b)
		})
		if err == nil {
			err = w.write(ctx, part, b, unique, &n)
		}
		if err != nil {
			return err
		}
		tv.res.Repaired += n
	}
	return nil
}

// recheckRepaired verifies the repaired keys again: the table's verdict is
// the one after the repair.
func (tv *tableVerify) recheckRepaired(ctx context.Context, keys [][]Value) error {
	r := &tv.res
	vw := &verifyWorker{tv: tv}
	defer vw.close()
	var after []RowDiff
	for start := 0; start < len(keys); start += repairBatch {
		part := keys[start:min(start+repairBatch, len(keys))]
		cmp, err := vw.compareKeys(ctx, part)
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

// repairWriter writes repaired rows on one target connection prepared as
// copy's writers are, and records what it changed.
type repairWriter struct {
	tv              *tableVerify
	up              *Upserter
	names, keyNames []string // the target's columns as up writes them, and its key
	wc              *writerConn
	actions         map[string]DiffType // how each repaired key differed, by canonical key
}

// write writes one batch of repaired keys in one target transaction: b
// holds the source rows of those keys that the source still has.
func (w *repairWriter) write(ctx context.Context, keys [][]Value, b *Batch, unique bool, n *int64) error {
	tv := w.tv
	sh := tv.shape
	present := map[string]bool{}
	var kb []byte
	for r := 0; r < b.Len(); r++ {
		kb = sh.canonKey(kb[:0], b, r, sh.srcCols)
		present[string(kb)] = true
	}
	var del [][]Value
	var changes []RowRepair
	for _, k := range keys {
		kb = kb[:0]
		for i, p := range sh.keyPos {
			kb = appendPrefixed(kb, k[i], sh.srcCols[p], sh.scale[p])
		}
		if !unique || !present[string(kb)] {
			del = append(del, k)
		}
		changes = append(changes, RowRepair{Table: tv.name, Key: keyTexts(k), Action: repairAction(w.actions[string(kb)], present[string(kb)], unique)})
	}
	p := retryPolicy{what: "verify repair", budget: tv.opts.RetryFor,
		retrying: func(err error) {
			if note, ok := stallNote(err); ok {
				tv.report(note)
				return
			}
			tv.report(fmt.Sprintf("retrying repair after: %s", shortErr(err)))
		}}
	// A repair's deletes and upserts are keyed: one that committed unseen
	// before a stall is written again the same.
	err, stop := p.run(ctx, func() error {
		err := withStallDoing(ctx, stallLimitOr(tv.opts.stallAfter), tv.dst.ident, "repairing", func(ctx context.Context) error {
			return w.tx(ctx, del, b)
		})
		if err != nil {
			w.wc.drop(err) // after a stall, the next connection ends this one's session
		}
		return err
	})
	switch {
	case err == nil:
		*n = int64(len(keys))
		tv.recordRepairs(changes)
		return nil
	case stop != nil:
		return stop
	case isClearStop(err):
		return fmt.Errorf("verify %s: repair: %w", tv.name, err) // no row's write failed: nothing was written
	case !Transient(err):
		return w.failedRow(ctx, del, b, err)
	}
	return fmt.Errorf("verify %s: repair %s: %w", tv.name, tv.dst.qualified(tv.dt.Name), err)
}

func (w *repairWriter) tx(ctx context.Context, del [][]Value, b *Batch) error {
	tv := w.tv
	if err := w.up.Ready(ctx, b); err != nil {
		return err
	}
	conn, err := w.wc.get(ctx)
	if err != nil {
		return err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tv.dst.Delete(ctx, tx, tv.dt, del); err != nil {
		return err
	}
	if _, err := tv.dst.clearUniqueMoves(ctx, tx, tv.dt, w.names, w.keyNames, b, moveOrigin{tv.src, tv.st}); err != nil {
		return err
	}
	if b.Len() > 0 {
		if err := w.up.Write(ctx, tx, b); err != nil {
			return err
		}
	}
	if err := tv.dst.checkLanded(ctx, tx, tv.dt, w.names, w.keyNames, b); err != nil {
		return err
	}
	return tx.Commit()
}

// failedRow names the source row whose repair write fails (see failingRow),
// found in a transaction that is rolled back.
func (w *repairWriter) failedRow(ctx context.Context, del [][]Value, b *Batch, cause error) error {
	tv := w.tv
	where := "verify " + tv.name + ": repair " + tv.dst.qualified(tv.dt.Name)
	w.wc.drop(nil)
	conn, err := w.wc.get(ctx)
	var tx *sql.Tx
	if err == nil {
		tx, err = conn.BeginTx(ctx, nil)
	}
	if err == nil {
		defer tx.Rollback()
		_, err = tv.dst.Delete(ctx, tx, tv.dt, del)
	}
	if err != nil || b.Len() == 0 {
		return &rowFailure{where + ": " + serverText(cause), cause}
	}
	names := make([]string, len(tv.shape.keyPos))
	for i, k := range tv.st.Key {
		names[i] = tv.st.Columns[k].Name
	}
	return failingRow(ctx, tx, w.up, b, where, func(r int) string { return rowKey(b, r, names, tv.shape.keyPos) }, cause)
}
