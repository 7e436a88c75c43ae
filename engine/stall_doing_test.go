package engine

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestStallDoingNote: a step that never answers ends as a transient stall
// whose note says what was being done; any other error keeps its own note.
func TestStallDoingNote(t *testing.T) {
	err := withStallDoing(context.Background(), 10*time.Millisecond, "DB", "applying changes", func(ctx context.Context) error {
		<-ctx.Done()
		return ctx.Err()
	})
	if !Transient(err) {
		t.Fatalf("stall %v is not transient", err)
	}
	note, ok := stallNote(err)
	if want := "no answer from DB for 10ms while applying changes; reconnecting"; !ok || note != want {
		t.Fatalf("note %q (%v), want %q", note, ok, want)
	}
	plain := errors.New("boom")
	err = withStallDoing(context.Background(), time.Hour, "DB", "applying changes", func(context.Context) error { return plain })
	if err != plain {
		t.Fatalf("error %v, want %v", err, plain)
	}
	if _, ok := stallNote(err); ok {
		t.Fatalf("a plain error gave a stall note")
	}
}
