package engine

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// killRounds is how many times TestCatchupSurvivesKilledConnections kills
// every connection of both databases.
const killRounds = 150

// TestCatchupSurvivesKilledConnections replays a long log while its
// connections to both servers are killed again and again: every change is
// applied exactly once overall (the stored position never skips or repeats
// a batch) and the target ends equal to the source.
func TestCatchupSurvivesKilledConnections(t *testing.T) {
	ctx := context.Background()
	src, dst := openMySQLT(t), openMySQLT(t)
	logged := changedAfterCopy(t, src, dst)

	admin := openMySQLT(t)
	stop, done := make(chan struct{}), make(chan struct{})
	var kills atomic.Int64
	go func() {
		defer close(done)
		// A bounded number of rounds: on a loaded machine an attempt may
		// take longer than the pause between kills, and endless kills
		// would outlast any retry budget.
		for range killRounds {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
			kills.Add(int64(killConnections(t, admin, dbName(t, src)) + killConnections(t, admin, dbName(t, dst))))
		}
	}()
	var retried atomic.Int64
	res, err := Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained, Batch: 50,
		Control: NewControl(5000),
		Progress: func(p Progress) {
			if strings.HasPrefix(p.Note, "retrying") {
				retried.Add(1)
			}
		}})
	close(stop)
	<-done
	if err != nil {
		t.Fatalf("catch-up: %v", err)
	}
	_, applied, _, err := CatchupPosition(ctx, dst, "change_log")
	if err != nil || applied != logged || res.Position.MaxSeen != logged {
		t.Errorf("stored %d applied (err %v), position %+v; the log holds %d", applied, err, res.Position, logged)
	}
	if kills.Load() == 0 || retried.Load() == 0 {
		t.Errorf("%d kills, %d retries: the test did not exercise a retry", kills.Load(), retried.Load())
	}
	verifyNoDiffs(t, src, dst, "items")
}

// TestCatchupStopsOnCancel cancels a catch-up waiting to converge under a
// writer: it stops promptly, and a second run continues from the stored
// position.
func TestCatchupStopsOnCancel(t *testing.T) {
	ctx := context.Background()
	src, dst := openSQLiteT(t, "src"), openSQLiteT(t, "dst")
	execT(t, src, "PRAGMA journal_mode=WAL")
	fillItems(t, src, 500)
	copyT(t, src, dst, CopyOptions{Tables: []string{"items"}, Create: true})
	if _, err := InstallTriggers(ctx, src, "change_log", []string{"items"}); err != nil {
		t.Fatal(err)
	}
	w := startWriter(src, 500, 2*time.Millisecond, 3)
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Stop once something was applied, however slow the machine.
	res, err := Catchup(cctx, src, dst, CatchupOptions{LogTable: "change_log", ConvergeFor: time.Hour, Poll: 10 * time.Millisecond,
		Progress: func(p Progress) {
			if p.Done > 0 {
				cancel()
			}
		}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if res.Applied == 0 {
		t.Errorf("nothing applied before the stop: %+v", res)
	}
	w.halt(t)
	again, err := Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained})
	if err != nil || !again.Drained {
		t.Fatalf("drain: %+v %v", again, err)
	}
	var logged int64
	src.SQL().QueryRow("SELECT COUNT(*) FROM change_log").Scan(&logged)
	if res.Applied+again.Applied != logged {
		t.Errorf("applied %d + %d, the log holds %d", res.Applied, again.Applied, logged)
	}
	verifyNoDiffs(t, src, dst, "items")
}

// changedAfterCopy copies 2,000 items from src to dst, installs the
// change-log triggers on src, then updates, deletes and inserts there: it
// returns how many changes the log holds.
func changedAfterCopy(t *testing.T, src, dst *DB) int64 {
	t.Helper()
	fillItems(t, src, 2000)
	copyT(t, src, dst, CopyOptions{Tables: []string{"items"}, Create: true})
	if _, err := InstallTriggers(context.Background(), src, "change_log", []string{"items"}); err != nil {
		t.Fatal(err)
	}
	execT(t, src,
		"UPDATE items SET v = v + 1 WHERE id % 3 = 0",
		"DELETE FROM items WHERE id % 7 = 0",
		"INSERT INTO items SELECT id + 5000, v, amount, note FROM items WHERE id <= 300")
	var logged int64
	src.SQL().QueryRow("SELECT COUNT(*) FROM change_log").Scan(&logged)
	return logged
}
