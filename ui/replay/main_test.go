package replay

import (
	"os"
	"testing"
	"time"
)

// TestMain pins the local zone, so times of day on screen do not depend on
// the machine's.
func TestMain(m *testing.M) {
	time.Local = time.UTC
	os.Exit(m.Run())
}
