package engine

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

// A catch-up without a tables list sets a table up when its first change
// is read. A table truncated before that, after an earlier run saw its
// triggers, stops the catch-up too.
func TestCatchupStopsOnTruncateOfTableSetUpLater(t *testing.T) {
	ctx := context.Background()
	src, dst := openMySQLT(t), openSQLiteT(t, "dst")
	usersT(t, src, dst)
	execT(t, src, "CREATE TABLE items (id INT PRIMARY KEY, v INT)", "INSERT INTO items VALUES (1, 1), (2, 2)")
	copyT(t, src, dst, CopyOptions{Tables: []string{"items"}, Create: true})
	installT(t, src, []string{"items"})
	opts := CatchupOptions{LogTable: "change_log", Until: UntilDrained} // every table in the log
	execT(t, src, "UPDATE users SET name = 'a1' WHERE id = 1")
	if _, err := Catchup(ctx, src, dst, opts); err != nil {
		t.Fatal(err)
	}
	execT(t, src, "TRUNCATE TABLE items", "INSERT INTO items VALUES (3, 3)")
	res, err := Catchup(ctx, src, dst, opts)
	refusedWith(t, "catch-up after a TRUNCATE", err, "items on the source was truncated or rebuilt")
	if res.Drained {
		t.Errorf("drained over a truncated table; the target holds %d items, the source 1", countT(t, dst, "items"))
	}
}

// A TRUNCATE between the copy and the catch-up's first run: no run has
// seen the table's storage yet, so the catch-up holds it to what the copy
// recorded, on the side the TRUNCATE hit, with or without a tables list;
// after verify --repair the next run goes on.
func TestCatchupFirstRunAfterTruncateSinceCopy(t *testing.T) {
	cases := []struct {
		source, target, side string
		listed               bool
	}{
		{"mysql", "sqlite", "source", true},
		{"mysql", "sqlite", "source", false},
		{"postgres", "mysql", "source", true},
		{"sqlite", "postgres", "target", true},
		{"sqlite", "mysql", "target", false},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s→%s/%s/listed=%v", tc.source, tc.target, tc.side, tc.listed), func(t *testing.T) {
			ctx := context.Background()
			src, dst := guardSource(t, tc.source), guardTarget(t, tc.target)
			usersT(t, src, dst)
			truncated := src
			if tc.side == "target" {
				truncated = dst
			}
			execT(t, truncated, "TRUNCATE TABLE users")
			execT(t, src, "INSERT INTO users VALUES (3, 'c')")
			opts := CatchupOptions{LogTable: "change_log", Until: UntilDrained}
			if tc.listed {
				opts.Tables = []string{"users"}
			}
			res, err := Catchup(ctx, src, dst, opts)
			refusedWith(t, "first catch-up after a TRUNCATE", err, "users on the "+tc.side+" was truncated or rebuilt")
			if res.Drained {
				t.Errorf("drained over a truncated table; the target holds %d rows", countT(t, dst, "users"))
			}
			if _, err := Verify(ctx, src, dst, VerifyOptions{Tables: []string{"users"}, Repair: true}); err != nil {
				t.Fatal(err)
			}
			if res, err := Catchup(ctx, src, dst, opts); err != nil || !res.Drained {
				t.Fatalf("after verify --repair, as the error says: %+v, %v", res, err)
			}
			verifyNoDiffs(t, src, dst, "users")
		})
	}
}

// Two sources copied into one target, as shards merged into one database:
// each copy records its own source's storage, and a catch-up from the
// first is held to the first's, not stopped by the second's.
func TestCatchupAfterShardsCopiedIntoOneTarget(t *testing.T) {
	ctx := context.Background()
	shard1, shard2, dst := openMySQLT(t), openMySQLT(t), openSQLiteT(t, "dst")
	usersT(t, shard1, dst)
	execT(t, shard2, "CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(20))", "INSERT INTO users VALUES (10, 'x'), (11, 'y')")
	copyT(t, shard2, dst, CopyOptions{Tables: []string{"users"}})
	execT(t, shard1, "UPDATE users SET name = 'a2' WHERE id = 1")
	res, err := Catchup(ctx, shard1, dst, CatchupOptions{LogTable: "change_log", Tables: []string{"users"}, Until: UntilDrained})
	if err != nil || !res.Drained {
		t.Fatalf("catch-up of the first shard: %+v, %v", res, err)
	}
	if n := countT(t, dst, "users"); n != 4 {
		t.Errorf("the target holds %d users, want both shards' 4", n)
	}
}

// A copy stopped after some chunks, the source truncated, the copy run
// again: it resumes after its checkpoint and never reads the rows it had
// written again, so the target keeps those the TRUNCATE removed. The copy
// records the source's storage as it first began, so the catch-up stops on
// it; after verify --repair it drains.
func TestCatchupAfterTruncateWhileCopyStopped(t *testing.T) {
	src, dst := openMySQLT(t), openSQLiteT(t, "dst")
	seedOrders(t, src, 1000)
	installT(t, src, []string{"o"})
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := Copy(ctx, src, dst, CopyOptions{Tables: []string{"o"}, Create: true, MaxChunkRows: 100, Writers: 1,
		OnCheckpoint: func(Checkpoint) {
			if n++; n == 3 {
				cancel()
			}
		}})
	cancel()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("the copy stopped: %v", err)
	}
	execT(t, src, "TRUNCATE TABLE o", "INSERT INTO o (id, merchant) VALUES (5000, 1)")
	if res := copyT(t, src, dst, CopyOptions{Tables: []string{"o"}, Create: true, MaxChunkRows: 100, Writers: 1}); !res.Tables[0].Resumed {
		t.Fatalf("the copy run again did not resume: %+v", res.Tables[0])
	}
	opts := CatchupOptions{LogTable: "change_log", Tables: []string{"o"}, Until: UntilDrained}
	res, err := Catchup(context.Background(), src, dst, opts)
	refusedWith(t, "catch-up after a TRUNCATE while the copy was stopped", err, "o on the source was truncated or rebuilt")
	if res.Drained {
		t.Errorf("drained with %d rows on the target, the source holds 1", countT(t, dst, "o"))
	}
	if _, err := Verify(context.Background(), src, dst, VerifyOptions{Tables: []string{"o"}, Repair: true}); err != nil {
		t.Fatal(err)
	}
	if res, err := Catchup(context.Background(), src, dst, opts); err != nil || !res.Drained {
		t.Fatalf("after verify --repair: %+v, %v", res, err)
	}
	verifyNoDiffs(t, src, dst, "o")
}

// A catch-up without a tables list run before the copy, as the step that
// installs the triggers may be: the log names no table yet, so it knew only
// the source's storage of the tables it would replay. A TRUNCATE of the
// target between the copy that then created the table and the next
// catch-up is held to what the copy recorded, and stops it; with no
// TRUNCATE, the copy's own rebuild (a FULLTEXT index added at its end)
// stops nothing.
func TestCatchupBeforeCopyThenTargetTruncated(t *testing.T) {
	for _, truncate := range []bool{true, false} {
		t.Run(fmt.Sprintf("truncate=%v", truncate), func(t *testing.T) {
			ctx := context.Background()
			src, dst := openMySQLT(t), openMySQLT(t)
			execT(t, src, "CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(20), FULLTEXT KEY ft (name))", "INSERT INTO users VALUES (1, 'a'), (2, 'b')")
			installT(t, src, []string{"users"})
			opts := CatchupOptions{LogTable: "change_log", Until: UntilDrained}
			if _, err := Catchup(ctx, src, dst, opts); err != nil {
				t.Fatal(err)
			}
			copyT(t, src, dst, CopyOptions{Tables: []string{"users"}, Create: true})
			if truncate {
				execT(t, dst, "TRUNCATE TABLE users")
			}
			execT(t, src, "INSERT INTO users VALUES (3, 'c')")
			_, err := Catchup(ctx, src, dst, opts)
			if !truncate {
				if err != nil {
					t.Fatalf("catch-up after the copy: %v", err)
				}
				verifyNoDiffs(t, src, dst, "users")
				return
			}
			refusedWith(t, "catch-up after the target was truncated", err, "users on the target was truncated or rebuilt")
			if _, err := Verify(ctx, src, dst, VerifyOptions{Tables: []string{"users"}, Repair: true}); err != nil {
				t.Fatal(err)
			}
			if _, err := Catchup(ctx, src, dst, opts); err != nil {
				t.Fatalf("after verify --repair: %v", err)
			}
			verifyNoDiffs(t, src, dst, "users")
		})
	}
}
