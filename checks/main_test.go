package checks

import (
	"os"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	killGrace = 300 * time.Millisecond // keep the group-kill tests quick
	os.Exit(m.Run())
}
