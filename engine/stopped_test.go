package engine

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// A copy the user interrupts says so, not "context canceled", and still
// unwraps to context.Canceled for the callers that ask.
func TestCopyInterruptedSaysSo(t *testing.T) {
	src := openSQLiteT(t, "src")
	seedOrders(t, src, 3000)
	dst := openSQLiteT(t, "dst")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := Copy(ctx, src, dst, CopyOptions{Tables: []string{"o"}, Create: true, MaxChunkRows: 100,
		OnCheckpoint: func(Checkpoint) { cancel() }})
	if err == nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want one that is context.Canceled", err)
	}
	if !strings.HasSuffix(err.Error(), "stopped: interrupted") || strings.Contains(err.Error(), "context canceled") {
		t.Fatalf("err %q, want …stopped: interrupted", err)
	}
}

// A step cut short by the user's stop may fail with the driver's "bad
// connection" instead of the context's error; the run then reports the
// stop, while a failure of a live run stays what it was.
func TestStoppedWhileReportsTheStop(t *testing.T) {
	live := context.Background()
	if err := stoppedWhile(live, "copy", driver.ErrBadConn); err != driver.ErrBadConn {
		t.Fatalf("live run: %v, want the driver's error as it is", err)
	}
	ctx, cancel := context.WithCancel(live)
	cancel()
	err := stoppedWhile(ctx, "copy", fmt.Errorf("lock copy job j in db: %w", driver.ErrBadConn))
	if !errors.Is(err, context.Canceled) || err.Error() != "copy: stopped: interrupted" {
		t.Fatalf("stopped run: %q, want copy: stopped: interrupted (context.Canceled)", err)
	}
	already := fmt.Errorf("copy o: stopped: %w", stopped(context.Canceled))
	if err := stoppedWhile(ctx, "copy", already); err != already {
		t.Fatalf("a stop already reported became %q", err)
	}
	if err := stoppedWhile(ctx, "copy", nil); err != nil {
		t.Fatalf("no error became %v", err)
	}
}
