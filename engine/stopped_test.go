package engine

import (
	"context"
	"errors"
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
