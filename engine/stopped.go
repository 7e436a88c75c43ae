package engine

import (
	"context"
	"errors"
	"fmt"
)

// stoppedError says why an engine stopped in the user's words: the
// context's "context canceled" means the run was interrupted. It unwraps
// to the cause, so errors.Is still finds context.Canceled.
type stoppedError struct{ err error }

func (e stoppedError) Error() string {
	switch {
	case errors.Is(e.err, context.Canceled):
		return "interrupted"
	case errors.Is(e.err, context.DeadlineExceeded):
		return "out of time"
	}
	return e.err.Error()
}

func (e stoppedError) Unwrap() error { return e.err }

// stopped is err as the reason an engine stopped.
func stopped(err error) error { return stoppedError{err} }

// stoppedWhile is err, or the stop itself when ctx ended while the failing
// step ran: a query cut short by ctx can fail as "bad connection" rather
// than with ctx's error, and a run that was asked to stop did not fail.
func stoppedWhile(ctx context.Context, what string, err error) error {
	if err == nil || ctx.Err() == nil || errors.Is(err, ctx.Err()) {
		return err
	}
	return fmt.Errorf("%s: stopped: %w", what, stopped(ctx.Err()))
}
