package engine

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// minStall is the shortest time a chunk's round trips may go unanswered
// before the connection is given up: a stalled link (a frozen proxy or
// server) can leave the kernel acknowledging while nothing comes back.
const minStall = 2 * time.Minute

// stallError is a server that stopped answering. It is transient: the
// retry policy reconnects and tries the chunk again.
type stallError struct {
	where string // the database's ident, without secrets
	after time.Duration
}

func (e *stallError) Error() string {
	return fmt.Sprintf("no answer from %s for %s", e.where, e.after)
}

// stallLimit is how long one chunk's round trips may take: generous, and
// growing with the time a chunk is meant to take.
func (tc *tableCopy) stallLimit() time.Duration {
	if tc.opts.stallAfter > 0 {
		return tc.opts.stallAfter
	}
	return max(minStall, 20*tc.chunker.target)
}

// stallWatch cancels its context when the work under it goes limit without
// finishing; pause and resume leave out waits that are not round trips.
type stallWatch struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	timer  *time.Timer
	limit  time.Duration
}

func newStallWatch(parent context.Context, limit time.Duration, where string) *stallWatch {
	ctx, cancel := context.WithCancelCause(parent)
	w := &stallWatch{ctx: ctx, cancel: cancel, limit: limit}
	w.timer = time.AfterFunc(limit, func() { cancel(&stallError{where: where, after: limit}) })
	return w
}

func (w *stallWatch) pause()  { w.timer.Stop() }
func (w *stallWatch) resume() { w.timer.Reset(w.limit) }

// done ends the watch and returns err, or the stall when the watch fired
// while the parent context was still live.
func (w *stallWatch) done(parent context.Context, err error) error {
	w.timer.Stop()
	defer w.cancel(nil)
	if err == nil || parent.Err() != nil {
		return err
	}
	var se *stallError
	if errors.As(context.Cause(w.ctx), &se) {
		return se
	}
	return err
}

// withStall runs f under a stall watch of limit on the database where.
func withStall(ctx context.Context, limit time.Duration, where string, f func(context.Context) error) error {
	w := newStallWatch(ctx, limit, where)
	return w.done(ctx, f(w.ctx))
}

// retryNote is the progress note for a retry of doing after err: a stall
// says what stopped answering, during what, and that runway reconnects.
func retryNote(doing string, err error) string {
	var se *stallError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s while %s; reconnecting", se, doing)
	}
	return fmt.Sprintf("retrying %s after: %s", doing, shortErr(err))
}

// stallDuring is a stall with what was being done when it struck, for loops
// whose one retried step has several parts (read, then apply).
type stallDuring struct {
	doing string
	err   *stallError
}

func (e *stallDuring) Error() string { return e.err.Error() }
func (e *stallDuring) Unwrap() error { return e.err }

// withStallDoing is withStall whose stall, if any, says it struck while doing.
func withStallDoing(ctx context.Context, limit time.Duration, where, doing string, f func(context.Context) error) error {
	err := withStall(ctx, limit, where, f)
	var se *stallError
	if errors.As(err, &se) {
		return &stallDuring{doing: doing, err: se}
	}
	return err
}

// stallNote is the progress note for a retry after a stall that says what
// it struck during; ok is false for any other error.
func stallNote(err error) (note string, ok bool) {
	var sd *stallDuring
	if !errors.As(err, &sd) {
		return "", false
	}
	return retryNote(sd.doing, sd.err), true
}

// stallLimitOr is the test's limit when set, else minStall.
func stallLimitOr(test time.Duration) time.Duration {
	if test > 0 {
		return test
	}
	return minStall
}
