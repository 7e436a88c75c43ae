package console

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"runway/runbook/session"
)

// rowOf is the screen row (0-based) where text first appears, and its column.
func rowOf(t *testing.T, view, text string) (x, y int) {
	t.Helper()
	for y, line := range strings.Split(view, "\n") {
		if i := strings.Index(line, text); i >= 0 {
			return len([]rune(line[:i])), y
		}
	}
	t.Fatalf("%q is not on the screen:\n%s", text, view)
	return 0, 0
}

func click(x, y int) tea.MouseMsg {
	return tea.MouseMsg{X: x, Y: y, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft}
}

func wheel(x, y, dir int) tea.MouseMsg {
	b := tea.MouseButtonWheelDown
	if dir < 0 {
		b = tea.MouseButtonWheelUp
	}
	return tea.MouseMsg{X: x, Y: y, Action: tea.MouseActionPress, Button: b}
}

// TestMouseSelects: a click selects the phase or item under it, and never
// acts on the session; the wheel moves in the list under the pointer.
func TestMouseSelects(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		f := opened()
		m := newModel(t, f, size[0], size[1])
		m = step(m, click(rowOf(t, m.View(), "Disk space")))
		if id := m.selected().item.ID; id != "disk" {
			t.Errorf("%v: clicking an item selected %s", size, id)
		}
		px, py := rowOf(t, m.View(), "Pilot")
		m = step(m, click(px, py))
		if m.phase != 1 {
			t.Errorf("%v: clicking a phase selected phase %d", size, m.phase)
		}
		m = step(m, click(rowOf(t, m.View(), "Verify pilot")))
		if id := m.selected().item.ID; id != "verify-orders" {
			t.Errorf("%v: clicking an item of the pilot selected %s", size, id)
		}
		x, y := rowOf(t, m.View(), "Verify pilot")
		m = step(m, wheel(x, y, 1))
		if id := m.selected().item.ID; id != "smoke" {
			t.Errorf("%v: the wheel over the items moved to %s", size, id)
		}
		m = step(m, wheel(x, y, -1))
		m = step(m, wheel(x, y, -1))
		if id := m.selected().item.ID; id != "copy-orders" {
			t.Errorf("%v: the wheel up moved to %s", size, id)
		}
		m = step(m, wheel(px, py, 1))
		if m.phase != 2 {
			t.Errorf("%v: the wheel over the phases moved to phase %d", size, m.phase)
		}
		// A click on the header or the detail pane selects nothing.
		before := m.selected().item.ID
		m = step(m, click(0, 0))
		m = step(m, click(rowOf(t, m.View(), "DETAIL")))
		if id := m.selected().item.ID; id != before {
			t.Errorf("%v: a click outside the lists moved the selection to %s", size, id)
		}
		wantNoAction(t, f)
	}
}

// TestMouseWheelInDialog: the wheel moves in an open dialog's list.
func TestMouseWheelInDialog(t *testing.T) {
	f := prepared()
	m := newModel(t, f, 80, 24)
	m, _ = press(t, m, "b")
	m = step(m, wheel(10, 10, 1))
	if !strings.Contains(m.View(), "› ↺ preparation_complete") {
		t.Fatalf("the wheel did not move to the rollback point:\n%s", m.View())
	}
	m = step(m, click(10, 10))
	m, _ = press(t, m, "enter")
	m, _ = press(t, m, "tab", "enter") // Yes, roll back
	wantAction(t, f, session.Rollback{Actor: "alice", Point: "preparation_complete"})
}
