package engine

import (
	"context"
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
