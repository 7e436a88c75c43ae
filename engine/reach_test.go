package engine

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// A server that cannot be reached is named, with how long it was tried,
// by the copy and the verify engines alike (runbook items use them).
func TestUnreachableServerNamedWithTheTimeTried(t *testing.T) {
	far, err := OpenURL("mysql://u:s3cret@127.0.0.1:1/db")
	if err != nil {
		t.Fatal(err)
	}
	defer far.Close()
	near, err := OpenURL("sqlite:" + filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer near.Close()
	const want = "mysql://u@127.0.0.1:1/db: not reachable after 300ms: connection refused"
	ctx := context.Background()
	_, err = Copy(ctx, near, far, CopyOptions{Tables: []string{"a"}, RetryFor: 300 * time.Millisecond})
	if err == nil || err.Error() != want {
		t.Errorf("copy: %v, want %s", err, want)
	}
	_, err = Verify(ctx, far, near, VerifyOptions{Tables: []string{"a"}, RetryFor: 300 * time.Millisecond})
	if err == nil || err.Error() != want {
		t.Errorf("verify: %v, want %s", err, want)
	}
}
