// Package dlog carries runway's debug log: a *slog.Logger that the command
// line makes from --debug FILE (or RUNWAY_DEBUG) and puts in the context
// that every session, check and engine run is given. Without one, From
// gives a logger that discards. What goes in is internals (connections
// opened, retries, chunk sizes, timings, a session's life), for reading
// after a window went wrong; never secrets, and never the screen.
package dlog

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
)

type key struct{}

var discard = slog.New(slog.DiscardHandler)

// With returns ctx carrying l; a nil l leaves ctx as it is.
func With(ctx context.Context, l *slog.Logger) context.Context {
	if l == nil {
		return ctx
	}
	return context.WithValue(ctx, key{}, l)
}

// From is the logger ctx carries, or one that discards.
func From(ctx context.Context) *slog.Logger {
	if ctx != nil {
		if l, ok := ctx.Value(key{}).(*slog.Logger); ok {
			return l
		}
	}
	return discard
}

// Open appends JSON lines to the file at path, made readable by its owner
// only: the log names hosts, databases and tables. Close the returned
// closer when done.
func Open(path string) (*slog.Logger, io.Closer, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("open debug log %s: %w", path, err)
	}
	h := slog.NewJSONHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug})
	return slog.New(h).With("pid", os.Getpid()), f, nil
}
