package engine

import (
	"bytes"
	"context"
	"database/sql/driver"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"runway/runbook/dlog"
)

// debugCtx is a context whose debug log is written to buf.
func debugCtx(buf *bytes.Buffer) context.Context {
	l := slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return dlog.With(context.Background(), l)
}

func TestRetryPolicyRetriesTransientErrorsAndLogsEach(t *testing.T) {
	var buf bytes.Buffer
	calls, failed, retrying := 0, 0, 0
	p := retryPolicy{what: "copy read", budget: time.Minute,
		failed:   func() { failed++ },
		retrying: func(error) { retrying++ }}
	err, stop := p.run(debugCtx(&buf), func() error {
		calls++
		if calls < 3 {
			return driver.ErrBadConn
		}
		return nil
	})
	if err != nil || stop != nil {
		t.Fatalf("run = %v, %v; want nil, nil", err, stop)
	}
	if calls != 3 || failed != 2 || retrying != 2 {
		t.Fatalf("calls %d, failed %d, retrying %d; want 3, 2, 2", calls, failed, retrying)
	}
	logged := strings.Count(buf.String(), `"msg":"engine.retry"`)
	if logged != 2 || !strings.Contains(buf.String(), `"what":"copy read"`) {
		t.Fatalf("debug log has %d retries, want 2 naming copy read:\n%s", logged, buf.String())
	}
}

func TestRetryPolicyGivesUpOnPermanentErrors(t *testing.T) {
	var buf bytes.Buffer
	calls := 0
	want := errors.New("syntax error")
	err, stop := retryPolicy{what: "setup", budget: time.Minute}.run(debugCtx(&buf), func() error {
		calls++
		return want
	})
	if err != want || stop != nil || calls != 1 {
		t.Fatalf("run = %v, %v after %d calls; want the error, nil after 1", err, stop, calls)
	}
	if buf.Len() != 0 {
		t.Fatalf("a permanent error was logged as a retry: %s", buf.String())
	}
}

func TestRetryPolicyStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	err, stop := retryPolicy{what: "verify", budget: time.Minute}.run(ctx, func() error {
		calls++
		cancel()
		return driver.ErrBadConn
	})
	if !errors.Is(err, driver.ErrBadConn) || !errors.Is(stop, context.Canceled) || calls != 1 {
		t.Fatalf("run = %v, %v after %d calls; want bad connection, canceled after 1", err, stop, calls)
	}
}

func TestRetryPolicyDeadlineEndsWhenTheBudgetIsSpent(t *testing.T) {
	calls := 0
	err, stop := retryPolicy{what: "reach", budget: 0, since: time.Now(), deadline: true}.run(context.Background(), func() error {
		calls++
		return driver.ErrBadConn
	})
	if !errors.Is(err, driver.ErrBadConn) || stop != nil || calls != 1 {
		t.Fatalf("run = %v, %v after %d calls; want bad connection, nil after 1", err, stop, calls)
	}
}
