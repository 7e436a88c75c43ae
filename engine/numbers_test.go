package engine

import (
	"strings"
	"testing"
	"time"
)

// TestNumbersHaveThousandsSeparators: the figures engines write into their
// notes and verdicts read as the console's do, 1,204 and not 1204.
func TestNumbersHaveThousandsSeparators(t *testing.T) {
	c := newConvergence(time.Second, 3*time.Second, 10*time.Second, 0, 0, time.Now)
	if n := c.note(12045, 2*time.Second, true); !strings.HasPrefix(n, "pending 12,045 ") {
		t.Errorf("catch-up note %q", n)
	}
	tv := &tableVerify{}
	tv.res.Rows = 250000
	if v := tv.verdict(); v != "250,000 rows match" {
		t.Errorf("verdict %q", v)
	}
	tv.res.DiffCount, tv.res.Missing, tv.res.Different = 1200, 200, 1000
	if v := tv.verdict(); !strings.HasPrefix(v, "1,200 differences (200 missing, 0 extra, 1,000 different)") {
		t.Errorf("verdict %q", v)
	}
}
