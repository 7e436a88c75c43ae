package console

import (
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// TestViewGolden draws the console in its main states at 80×24 and 120×40
// without colour. Update the files with `go test -run TestViewGolden -update`.
func TestViewGolden(t *testing.T) {
	scenes := []struct {
		name string
		core func() *fakeCore
		keys []string
	}{
		{"opened", opened, nil},
		{"copying", copying, []string{"down", "up"}},
		{"stopped", stopped, nil},
		{"catchup", catchingUp, nil},
		{"signoff", awaiting, []string{"s", "restored 1,204,331 orders", "ctrl+j", "row counts match the legacy side"}},
		{"override", stopped, []string{"o"}},
		{"risks", opened, []string{"i"}},
		{"help", opened, []string{"?"}},
		{"help_stopped", stopped, []string{"?"}},
		{"noted", noted, nil},
		{"notes", noted, []string{"N"}},
		{"rate", copying, []string{"L"}},
	}
	for _, sc := range scenes {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			name := sc.name + "_" + itoa(size[0]) + "x" + itoa(size[1])
			t.Run(name, func(t *testing.T) {
				m := newModel(t, sc.core(), size[0], size[1])
				for _, k := range sc.keys {
					m, _ = press(t, m, k)
				}
				view := m.View()
				checkSize(t, view, size[0], size[1])
				golden.RequireEqual(t, []byte(view))
			})
		}
	}
}

// TestViewTooSmall says plainly that the terminal is too small.
func TestViewTooSmall(t *testing.T) {
	m := newModel(t, opened(), 79, 30)
	if v := m.View(); !strings.Contains(v, "at least 80×24") || !strings.Contains(v, "79×30") {
		t.Fatalf("too-small screen:\n%s", v)
	}
	m = step(m, tea.WindowSizeMsg{Width: 100, Height: 23})
	if v := m.View(); !strings.Contains(v, "100×23") {
		t.Fatalf("too-small screen after resize:\n%s", v)
	}
	m = step(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	if v := m.View(); strings.Contains(v, "at least") || !strings.Contains(v, "PHASES") {
		t.Fatalf("resize back did not lay out the console:\n%s", v)
	}
	m = step(m, tea.WindowSizeMsg{Width: 60, Height: 20})
	if _, cmd := m.Update(keyMsg("q")); cmd == nil {
		t.Fatal("q does not quit from the too-small screen")
	}
}

// checkSize fails when the view has more lines than the terminal or a line
// wider than it: either would scroll or wrap the screen.
func checkSize(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Errorf("view has %d lines, terminal %d", len(lines), h)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("line %d is %d wide, terminal %d: %q", i+1, n, w, l)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
