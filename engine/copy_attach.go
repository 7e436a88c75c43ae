package engine

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// attachSchema is the name the source file gets on the target connection.
const attachSchema = "runway_src"

// attachable reports whether the table can be copied inside SQLite: both
// sides SQLite files, so the target connection can attach the source and
// each chunk is one INSERT … SELECT that never leaves the library. Values
// keep their storage class by construction.
func (tc *tableCopy) attachable() bool {
	return !tc.opts.generic && tc.src.dialect.attaches() && sameDialect(tc.src, tc.dst) &&
		tc.src.path != "" && tc.src.path != ":memory:" && tc.dst.path != ":memory:"
}

// attached copies the table chunk by chunk through the attached source:
// per chunk, in one target transaction, find the chunk's last key, upsert
// the rows up to it, and write the checkpoint.
func (tc *tableCopy) attached(ctx context.Context) error {
	conn, err := tc.attachSource(ctx)
	if err != nil {
		return err
	}
	// The connection never goes back to the pool, with the writer's session
	// settings and the source attached; closing it detaches the source.
	defer discardConn(conn)
	from := attachSchema + "." + tc.dst.Quote(tc.st.Name)
	if tc.transferable() {
		if whole, err := tc.transferWhole(ctx, conn, from); err != nil || whole {
			return err
		}
	}
	countCtx, stopCount := context.WithCancel(ctx)
	defer stopCount() // a count still running when the copy ends is no longer needed
	tc.countInBackground(countCtx)
	return tc.attachedChunks(ctx, conn, from)
}

// attachSource opens a writer connection to the target with the source
// attached to it.
func (tc *tableCopy) attachSource(ctx context.Context) (*sql.Conn, error) {
	conn, err := tc.dst.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("copy %s: %w", tc.name, err)
	}
	if _, err := conn.ExecContext(ctx, "ATTACH DATABASE ? AS "+attachSchema, tc.src.path); err != nil {
		discardConn(conn)
		return nil, fmt.Errorf("copy %s: attach %s: %w", tc.name, tc.src, err)
	}
	if err := tc.dst.writerSession(ctx, conn, tc.indexed(), false); err != nil {
		discardConn(conn)
		return nil, fmt.Errorf("copy %s: %w", tc.name, err)
	}
	return conn, nil
}

// transferWhole tries the copy in one transaction; whole is false when the
// table must go chunk by chunk after all.
func (tc *tableCopy) transferWhole(ctx context.Context, conn *sql.Conn, from string) (whole bool, err error) {
	p := retryPolicy{what: "copy in one transaction", budget: tc.opts.RetryFor,
		retrying: func(err error) { tc.retried(fmt.Sprintf("retrying after: %s", shortErr(err))) }}
	err, stop := p.run(ctx, func() (err error) {
		whole, err = tc.transfer(ctx, conn, from)
		return err
	})
	switch {
	case stop != nil:
		return false, fmt.Errorf("copy %s: stopped: %w", tc.name, stopped(stop))
	case err != nil:
		return false, fmt.Errorf("copy %s: %w", tc.name, err)
	}
	return whole, nil
}

// countInBackground counts the rows left to copy for progress, until ctx ends.
func (tc *tableCopy) countInBackground(ctx context.Context) {
	resumeKey := tc.state.last // read before the chunks start moving it
	go func() {
		if n, err := tc.src.Count(ctx, tc.st, resumeKey, tc.opts.Where); err == nil {
			tc.total.Store(tc.startRows + n)
		}
	}()
}

// attachedChunks copies the table chunk by chunk, each with its checkpoint.
func (tc *tableCopy) attachedChunks(ctx context.Context, conn *sql.Conn, from string) error {
	d := tc.dst
	var srcCols []string
	for _, c := range tc.cols {
		srcCols = append(srcCols, d.Quote(tc.st.Columns[c].Name))
	}
	up := d.NewUpserter(ctx, tc.dt, tc.names, tc.keyNames)
	insert := strings.TrimSuffix(up.prefix, " VALUES ") + " SELECT " + strings.Join(srcCols, ", ") + " FROM " + from
	desc := make([]string, len(tc.st.Key))
	for i, k := range d.keyNames(tc.st) {
		desc[i] = k + " DESC"
	}
	var where string
	if tc.opts.Where != "" {
		where = "(" + tc.opts.Where + ")"
	}
	keys := NewBatch(len(tc.st.Key))
	for seq := tc.state.chunks + 1; ; seq++ {
		n := tc.chunker.next()
		var rows int
		var final bool
		p := retryPolicy{what: "copy attached chunk", budget: tc.opts.RetryFor,
			retrying: func(err error) { tc.retried(fmt.Sprintf("retrying chunk %d after: %s", seq, shortErr(err))) }}
		err, stop := p.run(ctx, func() (err error) {
			rows, final, err = tc.attachedChunk(ctx, conn, from, insert+" ", up.suffix, where, strings.Join(desc, ", "), n, seq, keys)
			return err
		})
		switch {
		case stop != nil:
			return fmt.Errorf("copy %s: stopped: %w", tc.name, stopped(stop))
		case err != nil:
			return fmt.Errorf("copy %s: chunk %d: %w", tc.name, seq, err)
		}
		if rows == 0 {
			return nil
		}
		if err := tc.opts.Control.Wait(ctx, rows); err != nil {
			return fmt.Errorf("copy %s: stopped: %w", tc.name, stopped(err))
		}
		if final {
			return nil
		}
	}
}

// attachedChunk copies up to n rows after the checkpoint in one
// transaction; final is true when no rows remain after them.
func (tc *tableCopy) attachedChunk(ctx context.Context, conn *sql.Conn, from, insert, suffix, where, desc string, n int, seq int64, keys *Batch) (rows int, final bool, err error) {
	d := tc.dst
	t0 := time.Now()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, false, err
	}
	defer tx.Rollback()
	var after string
	if tc.state.last != nil {
		after = d.After(tc.st, tc.state.last)
	}
	// the chunk's last key: the n-th row, or the very last one
	keyList := d.selectList(tc.st, tc.st.Key)
	keys.Reset()
	var more bool
	q := "SELECT " + keyList + " FROM " + from + and(after, where) + " ORDER BY " + d.OrderBy(tc.st) + " LIMIT 1 OFFSET " + strconv.Itoa(n-1)
	if err := d.query(ctx, conn, q, tc.st, tc.st.Key, keys, 0, &more); err != nil {
		return 0, false, err
	}
	final = keys.Len() == 0
	if final {
		q = "SELECT " + keyList + " FROM " + from + and(after, where) + " ORDER BY " + desc + " LIMIT 1"
		if err := d.query(ctx, conn, q, tc.st, tc.st.Key, keys, 0, &more); err != nil {
			return 0, false, err
		}
		if keys.Len() == 0 {
			return 0, true, nil // nothing left
		}
	}
	last := keys.Row(nil, 0)
	for i := range last {
		last[i] = last[i].Clone()
	}
	res, err := tx.ExecContext(ctx, insert+and(after, d.Through(tc.st, last), where)+" ORDER BY "+d.OrderBy(tc.st)+suffix)
	if err != nil {
		return 0, false, err
	}
	affected, err := res.RowsAffected()
	if err != nil {
		return 0, false, err
	}
	st := tc.state
	st.found, st.last, st.rows, st.chunks = true, last, st.rows+affected, seq
	if err := saveCheckpoint(ctx, d, tx, tc.opts.Job, tc.name, st); err != nil {
		return 0, false, err
	}
	err = tx.Commit()
	if err == nil && tc.opts.commitHook != nil {
		err = tc.opts.commitHook(seq)
	}
	if err != nil && !tc.landed(ctx, seq) {
		return 0, false, err
	}
	tc.committed(&chunk{seq: seq, rows: int(affected), last: last}, st, time.Since(t0))
	return int(affected), final, nil
}
