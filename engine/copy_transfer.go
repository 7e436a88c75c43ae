package engine

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"time"
)

// transferMaxBytes bounds the source file that an empty SQLite target takes
// in one transaction (see transfer): at the rates measured here (about
// 150 MB/s) a kill loses at most some seconds of work.
const transferMaxBytes = 1 << 30

// transferable reports whether the table can be copied whole by transfer:
// nothing copied yet, no filter, no rate limit to pace, a source file of at
// most transferMaxBytes, and the same columns in the same order on both
// sides (INSERT … SELECT * pairs them by position).
func (tc *tableCopy) transferable() bool {
	if tc.state.rows != 0 || tc.state.last != nil || tc.state.chunks != 0 || tc.opts.Where != "" || tc.opts.chunked {
		return false
	}
	if tc.opts.Control != nil && tc.opts.Control.Rate() > 0 {
		return false
	}
	if fi, err := os.Stat(tc.src.path); err != nil || fi.Size() > transferMaxBytes {
		return false
	}
	if len(tc.cols) != len(tc.st.Columns) || len(tc.names) != len(tc.dt.Columns) {
		return false
	}
	for i, c := range tc.cols {
		if c != i || !strings.EqualFold(tc.st.Columns[c].Name, tc.dt.Columns[i].Name) || tc.names[i] != tc.dt.Columns[i].Name {
			return false
		}
	}
	return true
}

// transfer copies the whole table into an empty target in one transaction
// with one INSERT … SELECT *, the form in which SQLite moves records and
// index entries as they are stored, without decoding them (its transfer
// optimisation; a chunk's WHERE and ORDER BY rule it out). The checkpoint is
// written in the same transaction, so a kill at any instant leaves either
// nothing (the rerun starts again from the first row) or everything: never a
// row twice. The price is that a kill loses the work of this one statement,
// which transferMaxBytes bounds, and that a pause or a new rate takes effect
// only after it. Progress shows the total, then done. ok is false, with
// nothing written, when the target is not empty.
//
// Measured on the 1M-row orders bench: runway's CPU 2.4–2.7 s → 1.4–1.7 s
// (ATTACH + INSERT…SELECT in the sqlite3 shell: 1.2 s); against that
// reference in the same measure.sh runs, 0.91× → 1.45× and (3 reps)
// 0.71× → 0.97×.
func (tc *tableCopy) transfer(ctx context.Context, conn *sql.Conn, from string) (ok bool, err error) {
	d := tc.dst
	if err := tc.opts.Control.Wait(ctx, 0); err != nil { // honour a pause before starting
		return false, err
	}
	t0 := time.Now()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	target := "main." + d.Quote(tc.dt.Name)
	var one int
	switch err := tx.QueryRowContext(ctx, "SELECT 1 FROM "+target+" LIMIT 1").Scan(&one); {
	case err == nil:
		return false, nil // rows already there: chunk by chunk, as upserts
	case !isNoRows(err):
		return false, err
	}
	// The indexes a created table deferred go first: the transfer then
	// copies their entries too, already in order, instead of sorting them
	// afterwards.
	for _, q := range tc.state.pending {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return false, nil // left to the chunks, which add them after
		}
	}
	var total int64
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+from).Scan(&total); err != nil {
		return false, err
	}
	tc.total.Store(total)
	tc.report(Progress{Done: 0, Total: total, Note: "copying in one transaction"})
	res, err := tx.ExecContext(ctx, "INSERT INTO "+target+" SELECT * FROM "+from)
	if err != nil {
		return false, err
	}
	rows, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	if rows == 0 {
		return false, nil // an empty source: the chunks find that out
	}
	keys := NewBatch(len(tc.st.Key))
	desc := make([]string, len(tc.st.Key))
	for i, k := range d.keyNames(tc.st) {
		desc[i] = k + " DESC"
	}
	var more bool
	q := "SELECT " + d.selectList(tc.st, tc.st.Key) + " FROM " + from + " ORDER BY " + strings.Join(desc, ", ") + " LIMIT 1"
	if err := d.query(ctx, conn, q, tc.st, tc.st.Key, keys, 0, &more); err != nil {
		return false, err
	}
	if keys.Len() == 0 {
		return false, fmt.Errorf("read the last key of %s: no rows", from)
	}
	last := keys.Row(nil, 0)
	for i := range last {
		last[i] = last[i].Clone()
	}
	seq := tc.state.chunks + 1
	st := tc.state
	st.found, st.last, st.rows, st.chunks, st.pending = true, last, rows, seq, nil
	if err := saveCheckpoint(ctx, d, tx, tc.opts.Job, tc.name, st); err != nil {
		return false, err
	}
	err = tx.Commit()
	if err == nil && tc.opts.commitHook != nil {
		err = tc.opts.commitHook(seq)
	}
	if err != nil && !tc.landed(ctx, seq) {
		return false, err
	}
	tc.committed(&chunk{seq: seq, rows: int(rows), last: last}, st, time.Since(t0))
	return true, tc.opts.Control.Wait(ctx, int(rows))
}
