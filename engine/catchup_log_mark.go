package engine

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Why a position keeps a mark: MySQL starts a log's ids over when it is
// emptied by TRUNCATE, and the log keeps its identity. Once written past
// the position again, its highest id no longer tells: resuming would skip
// every change up to the position without a word. A log that did not start
// over still holds, under the mark's id, the row the position read there,
// or none (pruned); a log that did holds another one.

// LogMark is a change-log row a position has read: its id, a digest of its
// table and key, and its time as the log printed it ("" for a log without
// changed_at).
type LogMark struct {
	ID  int64  `json:"id"`
	Key string `json:"key"`
	At  string `json:"at,omitempty"`
}

// sameRow tells whether m and now are the same log row. Only a table or key
// that differ, or times that differ beyond the precision both were read at,
// tell another row: a changed_at added, dropped or given another type or
// precision since does not.
func (m *LogMark) sameRow(now *LogMark) bool {
	return m.Key == now.Key && sameLogTime(m.At, now.At)
}

// sameLogTime tells whether two changed_at texts can be the same time: one
// of them missing, equal, or, read as times, apart by less than the
// coarser one's precision (truncated or rounded).
func sameLogTime(a, b string) bool {
	if a == "" || b == "" || a == b {
		return true
	}
	ua, da, okA := logTimeMicros(a)
	ub, db, okB := logTimeMicros(b)
	if !okA || !okB {
		return false
	}
	unit := int64(1)
	for range 6 - min(da, db) {
		unit *= 10
	}
	d := ua - ub
	if d < 0 {
		d = -d
	}
	return d < unit
}

// logTimeMicros reads a changed_at text as the dialects print it (MySQL and
// SQLite date and time, PostgreSQL seconds since the epoch) in microseconds,
// with the number of fraction digits it has (trailing zeros are not told
// from a coarser column's: PostgreSQL prints six whatever the precision).
func logTimeMicros(s string) (us int64, digits int, ok bool) {
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 6 {
		frac = frac[:6]
	}
	frac = strings.TrimRight(frac, "0")
	digits = len(frac)
	f := int64(0)
	if frac != "" {
		n, err := strconv.ParseUint(frac+strings.Repeat("0", 6-len(frac)), 10, 64)
		if err != nil {
			return 0, 0, false
		}
		f = int64(n)
	}
	if t, err := time.Parse(time.DateTime, whole); err == nil {
		return t.Unix()*1_000_000 + f, digits, true
	}
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || strings.HasPrefix(whole, "-") {
		return 0, 0, false
	}
	return n*1_000_000 + f, digits, true
}

// markAt is the log row id as a mark, nil when the log has no such row.
func (l *changeLog) markAt(ctx context.Context, conn *sql.Conn, id int64) (*LogMark, error) {
	if id <= 0 {
		return nil, nil
	}
	at := "''"
	if l.hasTime {
		at = l.d.dialect.sql().changeLogTime
	}
	q := "SELECT " + l.d.Quote(l.tblCol) + ", pk, " + at + " FROM " + l.d.Quote(l.name) + " WHERE id = ?"
	var table, pk, when sql.NullString
	err := conn.QueryRowContext(ctx, l.d.dialect.bind(q), id).Scan(&table, &pk, &when)
	if isNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read change log %s in %s: %w", l.name, l.d, err)
	}
	return &LogMark{ID: id, Key: digest(table.String + "\x00" + pk.String), At: when.String}, nil
}

// checkMark refuses a log that holds another row under pos's mark: its ids
// started over.
func (l *changeLog) checkMark(ctx context.Context, conn *sql.Conn, pos *LogPosition, job string, dst *DB) error {
	if pos.Mark == nil {
		return nil
	}
	now, err := l.markAt(ctx, conn, pos.Mark.ID)
	if err != nil || now == nil || pos.Mark.sameRow(now) {
		return err
	}
	return fmt.Errorf("the position stored under job %q in %s on %s has read change log %s up to id %d, and the log's row %d is not the one it read there: "+
		"its ids started over (the log emptied by TRUNCATE, or created again) or it is another source's log of the same name, and resuming would skip changes; "+
		"give each source's change log a name of its own (log_table), or, for a log emptied or created again, delete that row and repair the tables with verify --repair",
		job, CatchupTable, dst, l.name, pos.MaxSeen, pos.Mark.ID)
}

// moveMark moves pos's mark to the highest id read, after a batch that
// read further, once the row it had is found as it was read (a log
// emptied and written again past it would hand over another row); the
// next batch's position stores it. An idle catch-up reads nothing here:
// the checks of the tables look at the mark (catchup_guard.go).
func (l *changeLog) moveMark(ctx context.Context, conn *sql.Conn, pos *LogPosition, job string, dst *DB) error {
	if pos.Mark != nil && pos.Mark.ID == pos.MaxSeen {
		return nil
	}
	if err := l.checkMark(ctx, conn, pos, job, dst); err != nil {
		return err
	}
	m, err := l.markAt(ctx, conn, pos.MaxSeen)
	if err != nil || m == nil {
		return err // a row pruned: the mark it had stays
	}
	pos.Mark = m
	return nil
}
