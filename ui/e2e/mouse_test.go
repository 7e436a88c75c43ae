package e2e

import (
	"fmt"
	"runway/ui/internal/termtest"
	"strings"
	"testing"
)

// TestConsoleMouseSelects drives `runway demo` in tmux with the mouse: the
// console turns mouse reporting on, a click (an SGR mouse press and release,
// as a terminal sends them) selects the item or phase under it, and
// --no-mouse leaves the mouse to the terminal.
func TestConsoleMouseSelects(t *testing.T) {
	endToEnd(t)
	work := t.TempDir()
	if out, code := runway(t, work, "", "demo", "--build-only", "--dir", "shop"); code != 0 {
		t.Fatalf("demo --build-only: exit %d\n%s", code, out)
	}
	tm := termtest.Tmux(t, work, 80, 24)
	tm.Shell(termtest.Binary(t) + " demo --dir shop")
	screen := tm.WaitFor(`enter run`, quick)
	if flags := tm.Format("#{mouse_sgr_flag} #{mouse_button_flag}"); flags != "1 1" {
		t.Errorf("mouse reporting (SGR, buttons) = %q, want on", flags)
	}

	// The third item of the preparation, by a click on its title.
	x, y := cell(t, screen, "Change-log triggers")
	click(tm, x, y)
	tm.WaitFor(`DETAIL · preparation/change-log`, quick)

	// The pilot, by a click in the phases pane; its first item is selected.
	x, y = cell(t, screen, "Pilot ")
	click(tm, x, y)
	tm.WaitFor(`ITEMS · Pilot`, quick)
	screen = tm.WaitFor(`DETAIL · pilot/copy-reference`, quick)

	// The wheel over the items moves to the next one.
	x, y = cell(t, screen, "Copy merchants")
	tm.Text(fmt.Sprintf("\x1b[<65;%d;%dM", x, y))
	tm.WaitFor(`DETAIL · pilot/copy-pilot`, quick)

	tm.Keys("q")
	tm.WaitFor(`(?m)^runway: demo session .* stopped`, quick)
	tm.Clear() // the second demo's end below must be its own
	tm.Shell(termtest.Binary(t) + " demo --no-mouse --dir shop")
	tm.WaitFor(`enter run`, quick)
	if flags := tm.Format("#{mouse_sgr_flag} #{mouse_button_flag}"); flags != "0 0" {
		t.Errorf("with --no-mouse, mouse reporting (SGR, buttons) = %q, want off", flags)
	}
	tm.Keys("q")
	// Wait for the demo to end: its last writes must not race the removal
	// of the test's folder.
	tm.WaitFor(`(?m)^runway: demo session .* stopped`, quick)
}

// cell is the 1-based column and row of text's first character on screen,
// as a terminal numbers them in a mouse report.
func cell(t *testing.T, screen, text string) (x, y int) {
	t.Helper()
	for row, line := range strings.Split(screen, "\n") {
		if i := strings.Index(line, text); i >= 0 {
			return len([]rune(line[:i])) + 1, row + 1
		}
	}
	t.Fatalf("%q is not on the screen:\n%s", text, screen)
	return 0, 0
}

// click sends a left-button press and release at column x, row y (1-based)
// as SGR mouse reports, the form a terminal in that mode sends.
func click(m *termtest.Pane, x, y int) {
	m.T().Helper()
	m.Text(fmt.Sprintf("\x1b[<0;%d;%dM\x1b[<0;%d;%dm", x, y, x, y))
}
