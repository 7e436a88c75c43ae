package e2e

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"runway/ui/internal/termtest"
)

// TestDemoShowsGuardStrip opens the demo in tmux at 80×24: the demo's guard
// on legacy.db is sampled and its strip shows the guard, its value and its
// state in words, within 80 columns, with the phases still in sight.
func TestDemoShowsGuardStrip(t *testing.T) {
	endToEnd(t)
	work := t.TempDir()
	if out, code := runway(t, work, "", "demo", "--build-only", "--dir", "shop"); code != 0 {
		t.Fatalf("demo --build-only: exit %d\n%s", code, out)
	}
	tm := termtest.Tmux(t, work, 80, 24)
	tm.Shell(termtest.Binary(t) + " demo --dir shop")
	tm.WaitFor(`enter run`, quick)
	screen := tm.WaitFor(`◉ guards · legacy-orders-live \d+ ✓ ok`, quick)
	if !strings.Contains(screen, "Preparation") {
		t.Errorf("the phases are out of sight with the guard strip:\n%s", screen)
	}
	for i, l := range strings.Split(screen, "\n") {
		if n := ansi.StringWidth(l); n > 80 {
			t.Errorf("line %d is %d wide at 80 columns: %q", i+1, n, l)
		}
	}
	tm.Keys("q")
	tm.WaitFor(`(?m)^runway: demo session .* stopped`, quick)
}
