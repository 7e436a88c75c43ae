package console

import (
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// TestViewGolden draws the console in its main states at 80×24 and 120×40
// without colour, and the scenes with a stop on screen also at 60×20 and
// 40×10 (the compact view). Update the files with
// `go test -run TestViewGolden -update`.
func TestViewGolden(t *testing.T) {
	scenes := []struct {
		name  string
		core  func() *fakeCore
		keys  []string
		small bool // a stop is on screen: drawn in the compact sizes too
	}{
		{"opened", opened, nil, false},
		{"copying", copying, []string{"down", "up"}, false},
		{"stopped", stopped, nil, true},
		{"stopped_cursor_elsewhere", stopped, []string{"left"}, true},
		{"pending", pendingOwn, nil, true},
		{"pending_approver", pendingOther, nil, true},
		{"withdraw", pendingOwn, []string{"w"}, true},
		{"catchup", catchingUp, nil, false},
		{"signoff", awaiting, []string{"s", "restored 1,204,331 orders", "ctrl+j", "row counts match the legacy side"}, false},
		{"override", stopped, []string{"o"}, true},
		{"risks", opened, []string{"i"}, false},
		{"help", opened, []string{"?"}, false},
		{"help_stopped", stopped, []string{"?"}, false},
		{"noted", noted, nil, false},
		{"notes", noted, []string{"N"}, false},
		{"rate", copying, []string{"L"}, false},
	}
	for _, sc := range scenes {
		sizes := [][2]int{{80, 24}, {120, 40}}
		if sc.small {
			sizes = append(sizes, [2]int{60, 20}, [2]int{40, 10})
		}
		for _, size := range sizes {
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
