package engine

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// killConnections kills every connection to database db on the server,
// except the one asking, as a server restart or a DBA would; it returns how
// many it killed.
func killConnections(t *testing.T, admin *DB, db string) int {
	t.Helper()
	rows, err := admin.SQL().Query("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()", db)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		admin.SQL().Exec("KILL ?", id)
	}
	return len(ids)
}

func dbName(t *testing.T, d *DB) string {
	var n string
	if err := d.SQL().QueryRow("SELECT DATABASE()").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestVerifySurvivesKilledConnections kills the verify's connections on
// both servers again and again while it runs: it retries and still finds
// exactly the planted differences, none twice.
func TestVerifySurvivesKilledConnections(t *testing.T) {
	src, dst := openMySQLT(t), openMySQLT(t)
	createPlantSource(t, src)
	fillTarget(t, src, dst, true)
	want := plant(t, src, dst, true)
	admin := openMySQLT(t)
	var kills atomic.Int64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			case <-time.After(15 * time.Millisecond):
			}
			kills.Add(int64(killConnections(t, admin, dbName(t, src)) + killConnections(t, admin, dbName(t, dst))))
		}
	}()
	var retried atomic.Int64
	res, err := Verify(context.Background(), src, dst, VerifyOptions{Tables: []string{"t"}, ChunkRows: 50,
		Control: NewControl(30000), // slow enough for the kills to land mid-run
		Progress: func(p Progress) {
			if strings.HasPrefix(p.Note, "retrying") {
				retried.Add(1)
			}
		}})
	close(stop)
	<-done
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	sameDiffs(t, "under kills", diffSet(res.Tables[0].Diffs), want)
	if res.Rows != plantRows {
		t.Errorf("rows %d, want %d", res.Rows, plantRows)
	}
	if kills.Load() == 0 || retried.Load() == 0 {
		t.Errorf("%d connections killed, %d retries: the test did not exercise a retry", kills.Load(), retried.Load())
	}
}

// TestVerifyStopsOnCancel cancels a verify mid-run: it returns promptly
// with the context's error and what it compared so far.
func TestVerifyStopsOnCancel(t *testing.T) {
	src, dst := openSQLiteT(t, "src"), openSQLiteT(t, "dst")
	createPlantSource(t, src)
	fillTarget(t, src, dst, true)
	ctx, cancel := context.WithCancel(context.Background())
	var seen atomic.Int64
	// 300 rows/s: the whole table would take 10 s, so the cancel on the
	// first progress report lands long before the end, however loaded the
	// machine (a faster rate let a late first report arrive at the end).
	res, err := Verify(ctx, src, dst, VerifyOptions{Tables: []string{"t"}, ChunkRows: 100,
		Control: NewControl(300),
		Progress: func(p Progress) {
			if p.Done > 0 && seen.Add(1) == 1 {
				cancel()
			}
		}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if res.Rows == 0 || res.Rows >= plantRows || res.Passed {
		t.Errorf("partial result: rows %d passed %v", res.Rows, res.Passed)
	}
}
