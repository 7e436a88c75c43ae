package audit

import (
	"context"
	"time"
)

// Follow is the live tail a watcher folds: it calls fn for each event after
// afterSeq (of session, or all if ""), then polls every interval for newer
// ones, until ctx is done (returning ctx.Err()) or fn returns an error. Any
// process may be the writer; a poll that finds nothing costs one indexed
// query.
func (l *Log) Follow(ctx context.Context, session string, afterSeq int64, every time.Duration, fn func(Event) error) error {
	if every <= 0 {
		every = 100 * time.Millisecond
	}
	t := time.NewTicker(every)
	defer t.Stop()
	last := afterSeq
	for {
		err := l.Scan(ctx, session, last, func(e Event) error {
			if err := fn(e); err != nil {
				return err
			}
			last = e.Seq
			return ctx.Err()
		})
		if err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}
