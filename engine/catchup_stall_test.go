package engine

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestCatchupStall freezes the link to the source mid-drain: the log read
// gives up after the stall limit, the catch-up says so, reconnects once the
// link is back, applies every change exactly once and verifies clean.
func TestCatchupStall(t *testing.T) {
	ctx := context.Background()
	direct, src, proxy := stallTarget(t, MySQL)
	dst := openSQLiteT(t, "dst")
	logged := changedAfterCopy(t, direct, dst)

	w := newStallNoteWatch(t, 4, proxy)
	res, err := Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained, Batch: 50,
		stallAfter: time.Second, Progress: w.progress})
	note := w.result()
	if err != nil {
		t.Fatalf("catch-up: %v", err)
	}
	want := "no answer from " + src.String() + " for 1s while reading the change log; reconnecting"
	if note != want {
		t.Fatalf("note %q, want %q", note, want)
	}
	_, applied, _, err := CatchupPosition(ctx, dst, "change_log")
	if err != nil || applied != logged || res.Position.MaxSeen != logged {
		t.Errorf("stored %d applied (err %v), position %+v; the log holds %d", applied, err, res.Position, logged)
	}
	verifyNoDiffs(t, direct, dst, "items")
}

// TestCatchupApplyStall freezes the link to the target mid-drain: the
// apply gives up after the stall limit, the catch-up says so, and once the
// link is back it goes on from the stored position, each change applied
// once, and verifies clean.
func TestCatchupApplyStall(t *testing.T) {
	ctx := context.Background()
	src := openMySQLT(t)
	direct, dst, proxy := stallTarget(t, MySQL)
	logged := changedAfterCopy(t, src, direct)

	w := newStallNoteWatch(t, 4, proxy)
	res, err := Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained, Batch: 50,
		Writers: 1, stallAfter: time.Second, Progress: w.progress})
	note := w.result()
	if err != nil {
		t.Fatalf("catch-up: %v", err)
	}
	want := "no answer from " + dst.String() + " for 1s while applying changes; reconnecting"
	if note != want {
		t.Fatalf("note %q, want %q", note, want)
	}
	_, applied, _, err := CatchupPosition(ctx, direct, "change_log")
	if err != nil || applied != logged || res.Position.MaxSeen != logged {
		t.Errorf("stored %d applied (err %v), position %+v; the log holds %d", applied, err, res.Position, logged)
	}
	verifyNoDiffs(t, src, direct, "items")
}

// TestCatchupHalfOpenLink loses the target's connection for good just
// after a batch's rows went out, while new connections get through: the
// session left on the server holds the batch's rows locked in its open
// transaction, and the catch-up ends it before it writes the batch again.
func TestCatchupHalfOpenLink(t *testing.T) {
	ctx := context.Background()
	src := openMySQLT(t)
	direct, dst, proxy := stallTarget(t, MySQL)
	logged := changedAfterCopy(t, src, direct)

	w := &stallNoteWatch{t: t, after: 2, freeze: proxy.loseNextRequest, thaw: func() {},
		reported: make(chan struct{}), thawed: make(chan struct{})}
	_, err := Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained, Batch: 200,
		Writers: 1, stallAfter: time.Second, RetryFor: time.Minute, Progress: w.progress})
	note := w.result()
	if err != nil {
		t.Fatalf("catch-up after a half-open link (note %q): %v", note, err)
	}
	if !proxy.lostOne() || !strings.HasPrefix(note, "no answer from ") {
		t.Fatalf("note %q: the link was not lost", note)
	}
	if _, applied, _, err := CatchupPosition(ctx, direct, "change_log"); err != nil || applied != logged {
		t.Errorf("stored %d applied (err %v); the log holds %d", applied, err, logged)
	}
	verifyNoDiffs(t, src, direct, "items")
}

// TestCatchupIdleWriter leaves the catch-up's writer connection idle past
// the target's idle timeout, which ends it unseen: the next batch is
// written on a new connection instead of failing on the dead one.
func TestCatchupIdleWriter(t *testing.T) {
	ctx := context.Background()
	src, dst := openMySQLT(t), openPostgresT(t)
	var db string
	if err := dst.SQL().QueryRow("SELECT current_database()").Scan(&db); err != nil {
		t.Fatal(err)
	}
	logged := changedAfterCopy(t, src, dst)
	execT(t, dst, "ALTER DATABASE "+quotePG(db)+" SET idle_session_timeout = '1500ms'")
	dst.SQL().SetMaxIdleConns(0) // new connections take the timeout
	defer func(d time.Duration) { writerIdle = d }(writerIdle)
	writerIdle = time.Second
	calls := 0
	_, err := Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained, Batch: 300, Writers: 1,
		Progress: func(Progress) {
			if calls++; calls == 2 {
				time.Sleep(3 * time.Second) // a quiet spell between batches
			}
		}})
	if err != nil {
		t.Fatalf("catch-up after an idle spell: %v", err)
	}
	if _, applied, _, err := CatchupPosition(ctx, dst, "change_log"); err != nil || applied != logged {
		t.Errorf("stored %d applied (err %v); the log holds %d", applied, err, logged)
	}
}
