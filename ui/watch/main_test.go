package watch

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"runway/runbook/session"
)

// TestMain doubles as a driver process for the tests that watch a session
// driven by another process: with RUNWAY_WATCH_TEST_DRIVER set to a folder,
// the test binary starts a session there, runs its first phase up to the
// manual item, prints "ready SESSION" and waits to be killed.
func TestMain(m *testing.M) {
	if dir := os.Getenv("RUNWAY_WATCH_TEST_DRIVER"); dir != "" {
		os.Exit(driveForever(dir))
	}
	os.Exit(m.Run())
}

func driveForever(dir string) int {
	d, err := newDriver(dir, smallRunbook)
	if err != nil {
		fmt.Println("driver failed:", err)
		return 1
	}
	if err := d.sess.Do(session.RunPhase{Phase: "prep"}); err != nil {
		fmt.Println("driver failed:", err)
		return 1
	}
	for !d.sess.Idle() {
		time.Sleep(5 * time.Millisecond)
	}
	fmt.Println("ready", d.sess.ID())
	<-context.Background().Done() // until killed
	return 0
}
