package engine

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// CatchupTable is the table on the TARGET holding each catch-up's position
// in its change log. A batch's rows and the position after it are written in
// one transaction, so after a crash the catch-up resumes exactly after the
// last batch that landed: no change is applied twice or skipped.
const CatchupTable = "_runway_catchup"

// catchupState is a stored position.
type catchupState struct {
	pos     LogPosition
	applied int64 // log rows applied over all runs
	tables  tablesSeen
	log     string // the identity of the change log it is a position in
}

// tablesSeen is what the last check of the replayed tables found (see
// catchup_guard.go), kept with the position so that the next run, after a
// stop or a kill, compares the tables with what this one knew.
type tablesSeen struct {
	// Checked is the low-water mark when that check began: every batch
	// before it was read with the columns then checked.
	Checked int64 `json:"checked,omitempty"`
	// Shapes are digests of each table's columns and key on both sides, by
	// name (see tableShapes.text).
	Shapes map[string]string `json:"shapes,omitempty"`
	// Logged are the tables whose changes runway's triggers log.
	Logged []string `json:"logged,omitempty"`
	// Stores are each table's storage ids on both sides, by name (see
	// catchup_guard_storage.go).
	Stores map[string]string `json:"stores,omitempty"`
}

// storedState is the stored form of a position and the tables seen.
type storedState struct {
	LogPosition
	tablesSeen
	Log string `json:"log,omitempty"` // the change log's identity
}

func ensureCatchupTable(ctx context.Context, d *DB) error {
	if _, err := d.db.ExecContext(ctx, d.dialect.sql().catchupTable); err != nil {
		return fmt.Errorf("create %s in %s: %w", CatchupTable, d, err)
	}
	return nil
}

func loadCatchupState(ctx context.Context, d *DB, job string) (catchupState, bool, error) {
	var s catchupState
	var pos string
	err := d.db.QueryRowContext(ctx, d.dialect.bind("SELECT position, applied FROM "+d.Quote(CatchupTable)+" WHERE job = ?"), job).Scan(&pos, &s.applied)
	if isNoRows(err) {
		return s, false, nil
	}
	if err != nil {
		return s, false, fmt.Errorf("read catch-up position %s in %s: %w", job, d, err)
	}
	var stored storedState
	if err := json.Unmarshal([]byte(pos), &stored); err != nil {
		return s, false, fmt.Errorf("read catch-up position %s in %s: %w", job, d, err)
	}
	s.pos, s.tables, s.log = stored.LogPosition, stored.tablesSeen, stored.Log
	return s, true, nil
}

func saveCatchupState(ctx context.Context, d *DB, ex Execer, job string, s catchupState) error {
	pos, err := json.Marshal(storedState{s.pos, s.tables, s.log})
	if err != nil {
		return fmt.Errorf("write catch-up position %s: %w", job, err)
	}
	now := time.Now().UTC().Format("2006-01-02 15:04:05.000000")
	q := "INSERT INTO " + d.Quote(CatchupTable) + " (job, position, applied, updated_at) VALUES (?, ?, ?, ?)"
	q += upsertSuffix(d, []string{"job"}, []string{"position", "applied", "updated_at"})
	if _, err := ex.ExecContext(ctx, d.dialect.bind(q), job, string(pos), s.applied, now); err != nil {
		return fmt.Errorf("write catch-up position %s in %s: %w", job, d, err)
	}
	return nil
}

// CatchupPosition returns the stored position of a catch-up job on dst;
// ok is false when it has not run.
func CatchupPosition(ctx context.Context, dst *DB, job string) (pos LogPosition, applied int64, ok bool, err error) {
	exists, err := dst.Exists(ctx, CatchupTable)
	if err != nil || !exists {
		return LogPosition{}, 0, false, err
	}
	s, ok, err := loadCatchupState(ctx, dst, job)
	return s.pos, s.applied, ok, err
}

// MarkCatchupStart records, for a catch-up that has not run yet, the change
// log's current end as its starting position: use it just BEFORE a copy
// starts when the log holds older history that the copy makes redundant.
// Changes logged from then on are replayed; every change the copy might
// have missed is among them. Without it a catch-up starts from the log's
// first row, which is always safe.
func MarkCatchupStart(ctx context.Context, src, dst *DB, logTable, job string) (LogPosition, error) {
	if job == "" {
		job = logTable
	}
	if err := ensureCatchupTable(ctx, dst); err != nil {
		return LogPosition{}, err
	}
	if s, ok, err := loadCatchupState(ctx, dst, job); err != nil || ok {
		return s.pos, err
	}
	l, err := openChangeLog(ctx, src, logTable)
	if err != nil {
		return LogPosition{}, err
	}
	conn, err := src.db.Conn(ctx)
	if err != nil {
		return LogPosition{}, fmt.Errorf("read change log %s in %s: %w", logTable, src, err)
	}
	defer conn.Close()
	top, err := l.maxID(ctx, conn)
	if err != nil {
		return LogPosition{}, err
	}
	// Ids below the current maximum that are not visible yet belong to
	// transactions still open: they stay gaps to be read when they commit.
	from := max(top-100_000, 0)
	pos := LogPosition{MaxSeen: from}
	ids, err := l.idsBetween(ctx, conn, from, top)
	if err != nil {
		return LogPosition{}, err
	}
	now := time.Now()
	for _, id := range ids {
		pos.Seen(id, now)
	}
	pos.Seen(top, now)
	if pos.Mark, err = l.markAt(ctx, conn, top); err != nil {
		return LogPosition{}, err
	}
	if err := saveCatchupState(ctx, dst, dst.db, job, catchupState{pos: pos, log: l.ident}); err != nil {
		return LogPosition{}, err
	}
	return pos, nil
}

// idsBetween lists the ids in (from, top]: a start mark needs the gaps near
// the end of the log, not the whole history.
func (l *changeLog) idsBetween(ctx context.Context, conn *sql.Conn, from, top int64) ([]int64, error) {
	rows, err := conn.QueryContext(ctx, l.d.dialect.bind("SELECT id FROM "+l.d.Quote(l.name)+" WHERE id > ? AND id <= ? ORDER BY id"), from, top)
	if err != nil {
		return nil, fmt.Errorf("read change log %s in %s: %w", l.name, l.d, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("read change log %s in %s: %w", l.name, l.d, err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
