package checks

import (
	"context"
	"errors"
	"strings"
	"time"

	"runway/runbook/text"
)

// timedOut is the cause a WithTimeout context ends with; it remembers the
// nominal timeout so the Summary can name it exactly.
type timedOut struct{ d time.Duration }

func (t timedOut) Error() string { return "timed out after " + text.Duration(t.d) }

// WithTimeout is context.WithTimeout whose expiry a check reports as
// "timed out after <d>". A d <= 0 sets no timeout.
func WithTimeout(parent context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return context.WithCancel(parent)
	}
	return context.WithTimeoutCause(parent, d, timedOut{d})
}

// stopText says why ctx ended: "timed out after 5m", "cancelled" or
// "cancelled: <cause>". start is when the check began, used to name the
// timeout when the context was not made by WithTimeout.
func stopText(ctx context.Context, start time.Time) string {
	cause := context.Cause(ctx)
	var t timedOut
	switch {
	case errors.As(cause, &t):
		return t.Error()
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		if dl, ok := ctx.Deadline(); ok && dl.After(start) {
			return "timed out after " + text.Duration(dl.Sub(start))
		}
		return "timed out"
	case cause == nil || errors.Is(cause, context.Canceled) && cause.Error() == context.Canceled.Error():
		return "cancelled"
	}
	return "cancelled: " + cause.Error()
}

// stoppedResult turns whatever a check returned when its context ended into
// a failure that leads with the reason; a check's own detail is kept after
// it, unless it only echoes the context's error.
func stoppedResult(ctx context.Context, start time.Time, res Result) Result {
	why := stopText(ctx, start)
	res.Passed = false
	switch {
	case res.Summary == "" ||
		strings.Contains(res.Summary, context.Canceled.Error()) ||
		strings.Contains(res.Summary, context.DeadlineExceeded.Error()):
		res.Summary = why
	case !strings.HasPrefix(res.Summary, why):
		res.Summary = why + ": " + res.Summary
	}
	return res
}
