package cli

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"
)

// interruptible is ctx ended by Ctrl-C or SIGTERM as well, for commands
// that only read the audit log: a verify-log or a report of a big log stops
// promptly instead of reading on.
func interruptible(ctx context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
}

// interrupted is the error of a read that ctx stopped, or err as it is.
func interrupted(ctx context.Context, what string, err error) error {
	if err != nil && ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return exitf(ExitStopped, "%s: interrupted before the end", what)
	}
	return err
}
