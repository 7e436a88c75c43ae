package engine

import (
	"context"
	"database/sql"
	"fmt"
)

// Why a position keeps a mark: MySQL starts a log's ids over when it is
// emptied by TRUNCATE, and the log keeps its identity. Once written past
// the position again, its highest id no longer tells: resuming would skip
// every change up to the position without a word. A log that did not start
// over still holds, under the mark's id, the row the position read there,
// or none (pruned); a log that did holds another one.

// LogMark is a change-log row a position has read: its id and a digest of
// its table, key and time.
type LogMark struct {
	ID  int64  `json:"id"`
	Row string `json:"row"`
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
	return &LogMark{ID: id, Row: digest(table.String + "\x00" + pk.String + "\x00" + when.String)}, nil
}

// checkMark refuses a log that holds another row under pos's mark: its ids
// started over.
func (l *changeLog) checkMark(ctx context.Context, conn *sql.Conn, pos *LogPosition, job string, dst *DB) error {
	if pos.Mark == nil {
		return nil
	}
	now, err := l.markAt(ctx, conn, pos.Mark.ID)
	if err != nil || now == nil || *now == *pos.Mark {
		return err
	}
	return fmt.Errorf("the position stored under job %q in %s on %s has read change log %s up to id %d, and the log's row %d is not the one it read there: "+
		"its ids started over (the log emptied by TRUNCATE, or created again) or it is another source's log of the same name, and resuming would skip changes; "+
		"give each source's change log a name of its own (log_table), or, for a log emptied or created again, delete that row and repair the tables with verify --repair",
		job, CatchupTable, dst, l.name, pos.MaxSeen, pos.Mark.ID)
}

// keepMark checks pos's mark and moves it to the highest id read, which
// the next batch's position stores.
func (l *changeLog) keepMark(ctx context.Context, conn *sql.Conn, pos *LogPosition, job string, dst *DB) error {
	if err := l.checkMark(ctx, conn, pos, job, dst); err != nil {
		return err
	}
	if pos.Mark != nil && pos.Mark.ID == pos.MaxSeen {
		return nil
	}
	m, err := l.markAt(ctx, conn, pos.MaxSeen)
	if err != nil || m == nil {
		return err // a row pruned: the mark it had stays
	}
	pos.Mark = m
	return nil
}
