package checks

import (
	"os"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(orphanHelperEnv); dir != "" {
		orphanHelper(dir) // never returns: it is killed
	}
	killGrace = 300 * time.Millisecond // keep the group-kill tests quick
	os.Exit(m.Run())
}
