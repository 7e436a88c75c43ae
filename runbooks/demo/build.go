package demo

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"

	_ "modernc.org/sqlite" // the "sqlite" driver
)

// Build makes a fresh demo in l.Dir: it removes what an earlier demo left
// there, writes the runbook text, and generates the legacy database. The
// same shape and seed always give the same rows.
func Build(ctx context.Context, l Layout, sh Shape, runbook []byte) error {
	if err := l.Clean(); err != nil {
		return err
	}
	if err := os.MkdirAll(l.Dir, 0o755); err != nil {
		return fmt.Errorf("create demo folder %s: %w", l.Dir, err)
	}
	if err := os.WriteFile(l.Marker, []byte("built by runway demo; `runway demo --rebuild` replaces everything here\n"), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", l.Marker, err)
	}
	if err := os.WriteFile(l.Runbook, runbook, 0o644); err != nil {
		return fmt.Errorf("write demo runbook %s: %w", l.Runbook, err)
	}
	if err := generate(ctx, l.Legacy, sh); err != nil {
		return fmt.Errorf("generate legacy database %s: %w", l.Legacy, err)
	}
	return nil
}

// Open opens a demo database the way the demo's writers use it: WAL, and a
// busy timeout so the copy, the catch-up and the writer share it politely.
func Open(path string) (*sql.DB, error) {
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

func generate(ctx context.Context, path string, sh Shape) error {
	db, err := Open(path)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, schema+changeLogTable); err != nil {
		return fmt.Errorf("create schema: %w", err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// One generator per table, so adding users never changes the orders.
	tables := []struct {
		name string
		cols int
		n    int
		row  func(r *rand.Rand, id int) []any
	}{
		{"merchants", 6, sh.Merchants, merchantRow},
		{"users", 6, sh.Users, userRow},
		{"orders", 9, sh.Orders, func(r *rand.Rand, id int) []any { return orderRow(r, id, sh) }},
	}
	for i, t := range tables {
		r := rand.New(rand.NewPCG(sh.Seed, uint64(i)))
		if err := insertRows(ctx, tx, t.name, t.cols, t.n, func(id int) []any { return t.row(r, id) }); err != nil {
			return fmt.Errorf("fill %s: %w", t.name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, changeLogTriggers); err != nil {
		return fmt.Errorf("create change-log triggers: %w", err)
	}
	return nil
}

// insertRows inserts rows 1..n in multi-row statements, which is several
// times faster than one statement per row.
func insertRows(ctx context.Context, tx *sql.Tx, table string, cols, n int, row func(id int) []any) error {
	const batch = 200
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	var stmt *sql.Stmt
	args := make([]any, 0, batch*cols)
	for id := 1; id <= n; id += batch {
		k := min(batch, n-id+1)
		if stmt == nil || k != batch {
			if stmt != nil {
				stmt.Close()
			}
			q := "INSERT INTO " + table + " VALUES " + strings.TrimSuffix(strings.Repeat(one+",", k), ",")
			var err error
			if stmt, err = tx.PrepareContext(ctx, q); err != nil {
				return err
			}
		}
		args = args[:0]
		for j := range k {
			args = append(args, row(id+j)...)
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			stmt.Close()
			return err
		}
	}
	if stmt != nil {
		stmt.Close()
	}
	return nil
}
