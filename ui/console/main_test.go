package console

import (
	"os"
	"testing"
	"time"
)

// TestMain pins the local zone, so times of day in golden files do not
// depend on the machine's.
func TestMain(m *testing.M) {
	time.Local = time.UTC
	os.Exit(m.Run())
}
