package audit

import (
	"context"
	"errors"
	"testing"
)

// Reads stop when their context ends, with its error: a Ctrl-C on
// verify-log or a report of a big log returns promptly, and is not taken for
// a fault of the log.
func TestReadsStopWithTheirContext(t *testing.T) {
	l, path := newLog(t)
	s := newSession(t, l)
	appendN(t, l, s.ID, 3)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if rep, err := Verify(ctx, path); !errors.Is(err, context.Canceled) {
		t.Errorf("Verify = %+v, %v; want context.Canceled", rep, err)
	}
	if _, err := l.Verify(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("l.Verify: %v", err)
	}
	if _, err := l.Events(ctx, s.ID, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("Events: %v", err)
	}
	if _, err := l.Sessions(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Sessions: %v", err)
	}
	if _, err := l.Spans(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Spans: %v", err)
	}
	if _, err := l.Session(ctx, s.ID); !errors.Is(err, context.Canceled) {
		t.Errorf("Session: %v", err)
	}
}

// A scan stopped halfway returns the context's error, not the events so far.
func TestScanStopsHalfway(t *testing.T) {
	l, _ := newLog(t)
	s := newSession(t, l)
	batch := make([]Event, 2*cancelEvery)
	for i := range batch {
		batch[i] = note(s.ID, i)
	}
	if _, err := l.AppendBatch(batch); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	err := l.Scan(ctx, s.ID, 0, func(Event) error {
		if n++; n == 10 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Scan after %d events: %v; want context.Canceled", n, err)
	}
	if n >= 2*cancelEvery {
		t.Errorf("Scan read all %d events after its context ended", n)
	}
}
