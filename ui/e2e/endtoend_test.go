package e2e

import "testing"

// endToEnd marks a test that drives the real binary: skipped with -short,
// and run in parallel with the others, since most of its time is spent
// waiting on the demo's clocks (rate limits, convergence, the soak).
func endToEnd(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test: skipped with -short")
	}
	t.Parallel()
}
