package engine

import (
	"context"
	"testing"
	"time"
)

// A change log emptied by TRUNCATE while the catch-up was stopped, and
// written past the stored position before it ran again: MySQL started its
// ids over, so the log's highest id is above the position and ids alone do
// not tell; resuming would skip every change up to the position. The
// catch-up is refused.
func TestCatchupRefusesALogTruncatedAndRefilled(t *testing.T) {
	for _, kind := range []string{"mysql", "postgres", "marked"} {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			engine := kind
			if kind == "marked" {
				engine = "mysql"
			}
			src, dst := guardSource(t, engine), openSQLiteT(t, "dst")
			opts := CatchupOptions{LogTable: "change_log", Until: UntilDrained}
			usersT(t, src, dst)
			execT(t, src, "INSERT INTO users VALUES (3, 'c')", "INSERT INTO users VALUES (4, 'd')", "INSERT INTO users VALUES (5, 'e')")
			if kind == "marked" { // the position marked before a copy, nothing read yet
				if _, err := MarkCatchupStart(ctx, src, dst, "change_log", ""); err != nil {
					t.Fatal(err)
				}
			} else if _, err := Catchup(ctx, src, dst, opts); err != nil {
				t.Fatal(err)
			}
			truncate := "TRUNCATE TABLE change_log"
			if kind == "postgres" {
				truncate += " RESTART IDENTITY"
			}
			execT(t, src, truncate,
				"UPDATE users SET name = 'a2' WHERE id = 1", "UPDATE users SET name = 'b2' WHERE id = 2",
				"DELETE FROM users WHERE id = 3", "UPDATE users SET name = 'd2' WHERE id = 4")
			_, err := Catchup(ctx, src, dst, opts)
			refusedWith(t, "catch-up of a log emptied by TRUNCATE and written again", err, "started over", "delete that row")
		})
	}
}

// The same while a catch-up runs: it stops once the log, emptied by
// TRUNCATE, is written past the row it last read, rather than skip the
// changes under its position.
func TestCatchupStopsWhenItsLogIsTruncatedWhileRunning(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	src, dst := openMySQLT(t), openSQLiteT(t, "dst")
	usersT(t, src, dst)
	execT(t, src, "INSERT INTO users VALUES (3, 'c')", "INSERT INTO users VALUES (4, 'd')", "INSERT INTO users VALUES (5, 'e')")
	done := make(chan error, 1)
	go func() {
		_, err := Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Poll: 20 * time.Millisecond, ConvergeFor: time.Hour})
		done <- err
	}()
	waitFor(t, func() bool { return countT(t, dst, "users") == 5 })
	execT(t, src, "TRUNCATE TABLE change_log",
		"UPDATE users SET name = 'a2' WHERE id = 1", "UPDATE users SET name = 'b2' WHERE id = 2",
		"DELETE FROM users WHERE id = 3", "UPDATE users SET name = 'd2' WHERE id = 4")
	err := <-done
	refusedWith(t, "catch-up running as its log is emptied and written again", err, "started over", "delete that row")
}

// Legitimate pruning of the log is taken up: old applied rows deleted, or
// every row, the stopped catch-up goes on and the target is whole.
func TestCatchupTakesUpAPrunedLog(t *testing.T) {
	for _, kind := range []string{"mysql", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			src, dst := guardSource(t, kind), openSQLiteT(t, "dst")
			usersT(t, src, dst)
			execT(t, src, "INSERT INTO users VALUES (3, 'c')", "INSERT INTO users VALUES (4, 'd')", "INSERT INTO users VALUES (5, 'e')")
			opts := CatchupOptions{LogTable: "change_log", Until: UntilDrained}
			if _, err := Catchup(ctx, src, dst, opts); err != nil {
				t.Fatal(err)
			}
			execT(t, src, "DELETE FROM change_log WHERE id < 3", "UPDATE users SET name = 'a2' WHERE id = 1")
			if _, err := Catchup(ctx, src, dst, opts); err != nil {
				t.Fatalf("old rows pruned: %v", err)
			}
			execT(t, src, "DELETE FROM change_log")
			if _, err := Catchup(ctx, src, dst, opts); err != nil {
				t.Fatalf("every row pruned, none since: %v", err)
			}
			execT(t, src, "UPDATE users SET name = 'b2' WHERE id = 2", "DELETE FROM users WHERE id = 3")
			if _, err := Catchup(ctx, src, dst, opts); err != nil {
				t.Fatalf("every row pruned, some since: %v", err)
			}
			verifyNoDiffs(t, src, dst, "users")
		})
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for range 200 {
		if ok() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("timed out")
}
