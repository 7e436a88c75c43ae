package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/dustin/go-humanize"
)

// claimSide is what one side holds of the key range a finished copy
// covered: its rows with a key up to the checkpoint's last key (and the
// copy's filter), and the first and last of those keys.
type claimSide struct {
	rows     int64
	min, max []Value
}

// claim is a finished checkpoint checked against both tables.
type claim struct {
	src, dst claimSide
	dstTotal int64 // every row of the target table
	srcLater int64 // source rows after the last key: added since the copy
}

// short reports whether the target lacks rows the source has in the range
// the copy covered: fewer rows there, or the source's first or last key
// beyond the target's. A target holding more rows than the source there is
// not short: rows deleted on the source since the copy are catch-up's (and
// verify's) to find, not a reason to copy again.
func (c claim) short() bool {
	if c.src.rows == 0 {
		return false
	}
	return c.dst.rows < c.src.rows || c.dst.min == nil ||
		compareKeys(c.src.min, c.dst.min) < 0 || compareKeys(c.src.max, c.dst.max) > 0
}

// checkClaim compares a finished checkpoint with the tables: counts and key
// range of the source up to the checkpoint's last key (the rows it says it
// copied, as the source holds them now) against the target's, with index
// range scans only.
func (tc *tableCopy) checkClaim(ctx context.Context, cp checkpointState) (claim, error) {
	var c claim
	dk := *tc.dt // the target read by the source's key
	dk.Key = nil
	for _, n := range tc.keyNames {
		for i := range dk.Columns {
			if dk.Columns[i].Name == n {
				dk.Key = append(dk.Key, i)
			}
		}
	}
	var err error
	if c.src, err = rangeSide(ctx, tc.src, tc.st, cp.last, tc.opts.Where); err != nil {
		return c, err
	}
	if c.dst, err = rangeSide(ctx, tc.dst, &dk, cp.last, tc.opts.Where); err != nil {
		return c, err
	}
	if c.dstTotal, err = tc.dst.Count(ctx, &dk, nil, ""); err != nil {
		return c, err
	}
	if cp.last != nil {
		c.srcLater, err = tc.src.Count(ctx, tc.st, cp.last, tc.opts.Where)
	}
	return c, err
}

// rangeSide counts t's rows with a key up to through (nil: all) matching
// where, and reads the first and last of their keys.
func rangeSide(ctx context.Context, d *DB, t *Table, through []Value, where string) (claimSide, error) {
	var s claimSide
	var conds []string
	if through != nil {
		conds = append(conds, d.Through(t, through))
	}
	if where != "" {
		conds = append(conds, "("+where+")")
	}
	from := " FROM " + d.Quote(t.Name) + and(conds...)
	if err := d.db.QueryRowContext(ctx, "SELECT COUNT(*)"+from).Scan(&s.rows); err != nil {
		return s, fmt.Errorf("count %s in %s: %w", t.Name, d, err)
	}
	names := d.keyNames(t)
	for _, desc := range []bool{false, true} {
		order := strings.Join(names, ", ")
		if desc {
			order = strings.Join(names, " DESC, ") + " DESC"
		}
		b := NewBatch(len(t.Key))
		var more bool
		q := "SELECT " + d.selectList(t, t.Key) + from + " ORDER BY " + order + " LIMIT 1"
		if err := d.query(ctx, nil, q, t, t.Key, b, 0, &more); err != nil {
			return s, fmt.Errorf("read key range of %s in %s: %w", t.Name, d, err)
		}
		if b.Len() == 1 {
			k := b.Row(nil, 0)
			for i := range k {
				k[i] = k[i].Clone()
			}
			if desc {
				s.max = k
			} else {
				s.min = k
			}
		}
	}
	return s, nil
}

// keyText is a key as the user reads it: "1000", "(1, x)", "none".
func keyText(k []Value) string {
	if k == nil {
		return "none"
	}
	if len(k) == 1 {
		return k[0].Text()
	}
	return "(" + strings.Join(keyTexts(k), ", ") + ")"
}

// claimNote says what a rerun found, for the progress line and the result.
func (tc *tableCopy) claimNote(cp checkpointState, c claim) string {
	upTo := "up to " + strings.Join(tc.keyNames, ", ") + " " + keyText(cp.last)
	side := func(s claimSide) string {
		return fmt.Sprintf("%s (min %s, max %s)", humanize.Comma(s.rows), keyText(s.min), keyText(s.max))
	}
	if c.short() {
		return fmt.Sprintf("checkpoint says %s rows copied %s, the source holds %s there and the target %s: copying again from the start (upserts; verify --repair rewrites only the rows that differ)",
			humanize.Comma(cp.rows), upTo, side(c.src), side(c.dst))
	}
	var notes []string
	if c.dst.rows > c.src.rows {
		notes = append(notes, fmt.Sprintf("the target holds %s more than the source %s (deleted on the source since the copy? catch-up deletes them, verify lists them)",
			rowsText(c.dst.rows-c.src.rows), upTo))
	}
	if c.srcLater > 0 {
		notes = append(notes, fmt.Sprintf("the source has %s after %s, added since the copy: catch-up copies them",
			rowsText(c.srcLater), keyText(cp.last)))
	}
	return strings.Join(notes, "; ")
}

// recheck checks a finished checkpoint against the tables before the table
// is skipped. When the target lacks rows the copy says it wrote, the
// checkpoint is restarted (its chunk count kept, so sequence numbers keep
// growing) and again is true: the table is copied again from the start,
// idempotently. Otherwise res says "skipped" with the target's own count.
func (tc *tableCopy) recheck(ctx context.Context, cp *checkpointState, res *TableResult) (again bool, err error) {
	var c claim
	err = retrySetup(ctx, startRetry(tc.opts.RetryFor), func() (err error) {
		c, err = tc.checkClaim(ctx, *cp)
		return err
	})
	if err != nil && (Transient(err) || ctx.Err() != nil) {
		return false, fmt.Errorf("copy %s: check the finished copy against the tables: %w", tc.name, err)
	}
	if err != nil { // e.g. a filter in the source's SQL that the target cannot run
		res.Skipped, res.Note = true, "the checkpoint's "+rowsText(cp.rows)+" could not be checked against the tables ("+shortErr(err)+"): run verify"
		tc.report(Progress{Done: cp.rows, Total: cp.rows, Note: "already copied; " + res.Note})
		return false, nil
	}
	res.Note = tc.claimNote(*cp, c)
	if !c.short() {
		res.Skipped, res.Total = true, c.dstTotal
		note := "already copied"
		if res.Note != "" {
			note += "; " + res.Note
		}
		tc.report(Progress{Done: c.dstTotal, Total: c.dstTotal, Note: note})
		return false, nil
	}
	tc.report(Progress{Done: 0, Total: c.src.rows, Note: res.Note})
	*cp = checkpointState{found: true, chunks: cp.chunks}
	err = retrySetup(ctx, tc.opts.RetryFor, func() error {
		return saveCheckpoint(ctx, tc.dst, tc.dst.db, tc.opts.Job, tc.name, *cp)
	})
	if err != nil {
		return false, fmt.Errorf("copy %s: %w", tc.name, err)
	}
	res.Total = 0
	return true, nil
}

func rowsText(n int64) string {
	if n == 1 {
		return "1 row"
	}
	return humanize.Comma(n) + " rows"
}
