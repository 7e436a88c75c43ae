package session

import (
	"strings"
	"testing"

	"runway/engine"
)

// TestCatchupLineWarnsOnceWithHeadroom: the verdict carries the measured
// apply capacity (the writer rate above which the catch-up falls behind) and
// each warning once.
func TestCatchupLineWarnsOnceWithHeadroom(t *testing.T) {
	res := engine.CatchupResult{Drained: true, Applied: 200000, Upserted: 150000, ApplyCapacity: 41234.4,
		Warnings: []string{"not converging from 13:00:01: the backlog grew"}}
	line := catchupLine(res)
	if !strings.Contains(line, "applies up to ~41,234 changes/s") {
		t.Errorf("line %q lacks the capacity", line)
	}
	if n := strings.Count(line, "not converging"); n != 1 {
		t.Errorf("line %q names the warning %d times", line, n)
	}
	res.CapacityLowerBound = true
	if line := catchupLine(res); !strings.Contains(line, "applies at least ~41,234 changes/s") {
		t.Errorf("line %q: a capacity from small batches is a lower bound", line)
	}
}
