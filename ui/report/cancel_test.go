package report

import (
	"context"
	"errors"
	"testing"

	"runway/runbook/audit"
)

// A report whose context ended (Ctrl-C) returns the context's error: it
// neither reads on nor reports the chain as unchecked.
func TestBuildStopsWithItsContext(t *testing.T) {
	path := overriddenSession(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if r, err := Build(ctx, path, ""); !errors.Is(err, context.Canceled) {
		t.Fatalf("Build = %v, %v; want context.Canceled", r, err)
	}
	l, err := audit.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := ListSessions(ctx, l); !errors.Is(err, context.Canceled) {
		t.Fatalf("ListSessions: %v; want context.Canceled", err)
	}
}
