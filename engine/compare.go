package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// CompareOptions configure Compare.
type CompareOptions struct {
	OldQuery, NewQuery string   // the question, in each database's SQL
	Key                []string // columns that identify a row of the answer
	// MinMatch is the match rate at or above which the compare passes;
	// 0 = 1.0. Below CriticalBelow (0 = off) the failure is critical.
	MinMatch, CriticalBelow float64
	MaxDiffs                int // differences listed; default 1000
	// RetryFor is how long a query is retried on transient errors. Default 1 minute.
	RetryFor time.Duration
	Progress ProgressFunc
}

// CompareResult is the outcome of a parallel-run compare.
type CompareResult struct {
	Rows      int64 // rows of the old answer
	NewRows   int64 // rows of the new answer
	Matched   int64 // old rows with an equal new row
	Missing   int64 // old rows without a new row of that key
	Extra     int64 // new rows without an old row of that key
	Different int64 // same key, other values
	// MatchRate is Matched / (Rows + Extra); 1 when both answers are empty.
	MatchRate float64
	Passed    bool // MatchRate >= MinMatch
	Critical  bool // MatchRate < CriticalBelow
	Diffs     []RowDiff
	Seconds   float64
}

// Compare runs the same question on the old and the new side, matches the
// rows by key and reports the match rate, the missing, extra and different
// rows. Values are compared as an application would read them (see
// looseValue): 12.50 equals 12.5, a datetime equals its text. Both queries
// run at the same time.
func Compare(ctx context.Context, oldDB, newDB *DB, opts CompareOptions) (CompareResult, error) {
	start := time.Now()
	if len(opts.Key) == 0 {
		return CompareResult{}, errors.New("compare: no key columns")
	}
	if opts.MinMatch <= 0 {
		opts.MinMatch = 1
	}
	if opts.MaxDiffs <= 0 {
		opts.MaxDiffs = 1000
	}
	if opts.RetryFor <= 0 {
		opts.RetryFor = time.Minute
	}
	report := func(note string, done int64) {
		if opts.Progress != nil {
			opts.Progress(Progress{Engine: "compare", Table: "query", Done: done, Note: note})
		}
	}
	report("running both queries", 0)
	type answer struct {
		rs  resultSet
		err error
	}
	oc := make(chan answer, 1)
	go func() {
		var a answer
		a.err = retrySetup(ctx, opts.RetryFor, func() (err error) {
			a.rs, err = runQuery(ctx, oldDB, opts.OldQuery)
			return err
		})
		oc <- a
	}()
	var cur resultSet
	err := retrySetup(ctx, opts.RetryFor, func() (err error) {
		cur, err = runQuery(ctx, newDB, opts.NewQuery)
		return err
	})
	old := <-oc
	if old.err != nil {
		return CompareResult{}, fmt.Errorf("compare: old query on %s: %w", oldDB, old.err)
	}
	if err != nil {
		return CompareResult{}, fmt.Errorf("compare: new query on %s: %w", newDB, err)
	}
	res, err := matchResults(old.rs, cur, opts.Key, opts.MaxDiffs)
	if err != nil {
		return res, err
	}
	res.MatchRate = matchRate(res.Matched, res.Rows, res.Extra)
	res.Passed = res.MatchRate >= opts.MinMatch
	res.Critical = opts.CriticalBelow > 0 && res.MatchRate < opts.CriticalBelow
	res.Seconds = time.Since(start).Seconds()
	report(fmt.Sprintf("match rate %.4f", res.MatchRate), res.Rows)
	return res, nil
}

// runQuery runs a read-only question and returns its answer.
func runQuery(ctx context.Context, d *DB, q string) (resultSet, error) {
	if strings.TrimSpace(q) == "" {
		return resultSet{}, errors.New("empty query")
	}
	rows, err := d.db.QueryContext(ctx, q)
	if err != nil {
		return resultSet{}, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return resultSet{}, err
	}
	dates := dateColumns(rows)
	rs := resultSet{Cols: cols}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return resultSet{}, err
		}
		dayOnly(vals, dates)
		rs.Rows = append(rs.Rows, vals)
	}
	if err := rows.Err(); err != nil {
		return resultSet{}, err
	}
	return rs, nil
}

// dateColumns marks the columns typed DATE. PostgreSQL sends a date as a
// time at midnight where MySQL sends "2024-03-31"; both mean the day.
func dateColumns(rows *sql.Rows) []bool {
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil
	}
	dates := make([]bool, len(types))
	for i, ct := range types {
		dates[i] = strings.EqualFold(ct.DatabaseTypeName(), "DATE")
	}
	return dates
}

// dayOnly writes the time values of DATE columns as their day.
func dayOnly(vals []any, dates []bool) {
	for i, isDate := range dates {
		if t, ok := vals[i].(time.Time); ok && isDate {
			vals[i] = t.Format("2006-01-02")
		}
	}
}
