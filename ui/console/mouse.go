package console

import (
	tea "github.com/charmbracelet/bubbletea"
)

// mouse handles a click or the wheel: a click selects the phase or item
// under it, the wheel moves the selection in the list under the pointer,
// scrolls the detail pane below it, and moves in an open dialog's list.
// Nothing a click does acts on the session: it only selects.
func (m Model) mouse(msg tea.MouseMsg) (tea.Model, tea.Cmd) {
	if m.quitting || m.find.typing || m.full || m.tooSmall() || m.width == 0 {
		return m, nil
	}
	wheel := 0
	switch {
	case msg.Action != tea.MouseActionPress:
		return m, nil
	case msg.Button == tea.MouseButtonWheelUp:
		wheel = -1
	case msg.Button == tea.MouseButtonWheelDown:
		wheel = 1
	case msg.Button != tea.MouseButtonLeft:
		return m, nil
	}
	if m.dialog != nil {
		return m.dialogWheel(wheel)
	}
	m.status = status{}
	l := m.layout()
	top := len(m.headerLines()) + 1 // the rule under the header
	row := msg.Y - top - 1          // the list's rows start under its title
	inList := row >= 0 && row < l.listRows
	left := msg.X < l.leftW+1
	switch {
	case wheel != 0 && inList && left:
		m.move(wheel, 0)
	case wheel != 0 && msg.Y > top+l.listRows:
		m.scrollDetail(wheel)
	case wheel != 0:
		m.move(0, wheel)
	case inList && left:
		m.clickPhase(m.phaseTop(l.listRows) + row)
	case inList && msg.X >= l.leftW+3:
		m.clickItem(m.itemTop + row)
	}
	return m, nil
}

// dialogWheel moves in an open dialog's list, as its ↑ and ↓ keys do.
func (m Model) dialogWheel(wheel int) (tea.Model, tea.Cmd) {
	if wheel == 0 || !m.dialog.keys(m, m.dkeys).Up.Enabled() {
		return m, nil
	}
	k := tea.KeyMsg{Type: tea.KeyDown}
	if wheel < 0 {
		k.Type = tea.KeyUp
	}
	return m.dialog.update(m, k)
}

// clickPhase selects phase p, if there is one.
func (m *Model) clickPhase(p int) {
	if p < 0 || p >= len(m.rb.Phases) || p == m.phase {
		return
	}
	m.move(p-m.phase, 0)
}

// clickItem selects the item on the given row of the shown items.
func (m *Model) clickItem(row int) {
	shown := m.shown()
	if row < 0 || row >= len(shown) {
		return
	}
	m.item, m.scroll = shown[row], 0
	m.clamp()
	m.updateKeys()
}

// phaseTop is the first phase row shown in a phases pane of rows rows.
func (m Model) phaseTop(rows int) int {
	return phaseTop(m.phase, len(m.rb.Phases), rows)
}
