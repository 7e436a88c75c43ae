package checks

import (
	"os"
	"testing"
	"time"
)

// quickGrace keeps the tests that stop a command quick.
const quickGrace = 300 * time.Millisecond

func TestMain(m *testing.M) {
	if dir := os.Getenv(orphanHelperEnv); dir != "" {
		orphanHelper(dir) // never returns: it is killed
	}
	os.Exit(m.Run())
}
