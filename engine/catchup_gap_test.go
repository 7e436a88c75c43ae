package engine

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestCatchupOutOfOrderCommit holds a change-log id in an open transaction
// while a later id commits: the catch-up applies the later one, keeps the
// earlier id as a gap, and applies it once its transaction commits.
func TestCatchupOutOfOrderCommit(t *testing.T) {
	ctx := context.Background()
	src, dst := openMySQLT(t), openMySQLT(t)
	fillItems(t, src, 10)
	copyT(t, src, dst, CopyOptions{Tables: []string{"items"}, Create: true})
	if _, err := InstallTriggers(ctx, src, "change_log", []string{"items"}); err != nil {
		t.Fatal(err)
	}
	slow, err := src.SQL().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	execConn := func(q string) {
		t.Helper()
		if _, err := slow.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	execConn("BEGIN")
	execConn("INSERT INTO items VALUES (901, 1, '1.00', 'slow')") // takes log id 1, not committed
	execT(t, src, "INSERT INTO items VALUES (902, 2, '2.00', 'fast')")
	opts := CatchupOptions{LogTable: "change_log", MaxLag: time.Minute, ConvergeFor: 50 * time.Millisecond, Poll: 10 * time.Millisecond}
	res, err := Catchup(ctx, src, dst, opts)
	if err != nil || !res.Converged {
		t.Fatalf("first catch-up: %+v %v", res, err)
	}
	if res.Position.MaxSeen != 2 || res.Position.GapCount() != 1 || !res.Position.InGap(1) || res.Applied != 1 {
		t.Fatalf("position after the first catch-up: %+v, applied %d", res.Position, res.Applied)
	}
	if countT(t, dst, "items") != 11 {
		t.Fatalf("target holds %d rows, want 11", countT(t, dst, "items"))
	}
	execConn("COMMIT")
	res, err = Catchup(ctx, src, dst, opts)
	if err != nil || res.Applied != 1 || res.Position.GapCount() != 0 || res.Position.LowWater() != 2 {
		t.Fatalf("second catch-up: %+v %v", res, err)
	}
	verifyNoDiffs(t, src, dst, "items")
}

// TestConvergence drives the convergence rules with a clock of our own.
func TestConvergence(t *testing.T) {
	t0 := time.Unix(1000, 0)
	now := t0
	c := newConvergence(time.Second, 3*time.Second, 10*time.Second, 0, 0, func() time.Time { return now })
	// Falling behind: 100 ids/s arrive, 50/s are applied, the backlog grows.
	var maxID, applied int64
	for i := 1; i <= 14; i++ {
		now = t0.Add(time.Duration(i) * time.Second)
		maxID, applied = int64(100*i), int64(50*i)
		c.observe(now, maxID-applied, 2*time.Second, maxID, applied)
	}
	if !c.notConverging() || c.converged(now) {
		t.Errorf("falling behind: not converging %v, converged %v", c.notConverging(), c.converged(now))
	}
	if n := c.note(maxID-applied, 2*time.Second, true); n == "" || !strings.Contains(n, "NOT CONVERGING") {
		t.Errorf("note %q", n)
	}
	// Catching up: applies outpace arrivals, lag under a second for 3 s.
	for i := 15; i <= 40; i++ {
		now = t0.Add(time.Duration(i) * time.Second)
		maxID += 10
		applied = min(applied+200, maxID)
		lag := time.Duration(0)
		if maxID > applied {
			lag = 3 * time.Second
		}
		c.observe(now, maxID-applied, lag, maxID, applied)
	}
	if c.notConverging() || !c.converged(now) {
		t.Errorf("caught up: not converging %v, converged %v", c.notConverging(), c.converged(now))
	}
}

// TestCatchupLateCommitPastManyGaps: more gaps than one read looks at again
// (each rolled-back transaction leaves one), then a transaction that commits
// after a later one. Its id is past the first page of gaps: a drain, and a
// catch-up whose gaps time out, give it a last look before giving it up as
// rolled back (both had dropped it, saying drained).
func TestCatchupLateCommitPastManyGaps(t *testing.T) {
	for _, how := range []string{"drain", "gap timeout"} {
		t.Run(how, func(t *testing.T) {
			ctx := context.Background()
			src, dst := openMySQLT(t), openMySQLT(t)
			execT(t, src, "CREATE TABLE acct (id INT PRIMARY KEY, balance INT)", "INSERT INTO acct VALUES (1, 100), (2, 100)")
			copyT(t, src, dst, CopyOptions{Tables: []string{"acct"}, Create: true})
			installT(t, src, []string{"acct"})
			app, slow := connT(t, src), connT(t, src)
			gaps := gapPage + 50
			for i := range gaps { // a rolled-back id between two committed ones
				connExec(t, app, "BEGIN", fmt.Sprintf("INSERT INTO acct VALUES (%d, 0)", 1000+i), "ROLLBACK",
					fmt.Sprintf("UPDATE acct SET balance = %d WHERE id = 2", i))
			}
			connExec(t, slow, "BEGIN", "UPDATE acct SET balance = 42 WHERE id = 1") // the next id, not committed yet
			connExec(t, app, "UPDATE acct SET balance = 7 WHERE id = 2")
			opts := CatchupOptions{LogTable: "change_log", MaxLag: time.Minute, ConvergeFor: 50 * time.Millisecond, Poll: 10 * time.Millisecond}
			res, err := Catchup(ctx, src, dst, opts)
			if err != nil || res.Position.GapCount() != int64(gaps+1) {
				t.Fatalf("first catch-up: %d gaps, want %d (%v)", res.Position.GapCount(), gaps+1, err)
			}
			connExec(t, slow, "COMMIT")
			switch how {
			case "drain":
				opts.Until = UntilDrained
			case "gap timeout":
				opts.GapTimeout = time.Nanosecond
			}
			if res, err = Catchup(ctx, src, dst, opts); err != nil {
				t.Fatal(err)
			}
			if res.Position.Skipped != int64(gaps) {
				t.Errorf("%d ids given up as rolled back, want %d", res.Position.Skipped, gaps)
			}
			verifyNoDiffs(t, src, dst, "acct")
		})
	}
}

// connT is a connection of its own to d, as an application session.
func connT(t *testing.T, d *DB) *sql.Conn {
	t.Helper()
	conn, err := d.SQL().Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// connExec runs stmts on conn, in order.
func connExec(t *testing.T, conn *sql.Conn, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if _, err := conn.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}
