package cli

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// A verify-log whose context ends (Ctrl-C) stops with exit 1 and says it
// was interrupted: it neither reads on nor reports the log as damaged.
func TestVerifyLogStopsWhenInterrupted(t *testing.T) {
	path := verifyLogFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	err := interrupted(ctx, "verify-log "+path, verifyLog(ctx, IO{Out: &out}, path, ""))
	var ee *ExitError
	if !errors.As(err, &ee) || ee.Code != ExitStopped || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("err = %v, want exit %d saying interrupted", err, ExitStopped)
	}
	if out.Len() > 0 {
		t.Errorf("printed %q", out.String())
	}
}
