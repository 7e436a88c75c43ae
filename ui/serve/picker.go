package serve

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"runway/runbook/session"
)

// picker chooses whom to hand control to, on the pairing line.
type picker struct {
	to  []session.Participant // connected participants who may drive
	sel int
}

// pickKey moves in the chooser, hands control over or cancels; it takes
// every key while open.
func (m model) pickKey(msg tea.KeyMsg) (model, tea.Cmd, bool) {
	p := *m.pick
	switch msg.String() {
	case "left", "up", "shift+tab", "h", "k":
		p.sel = (p.sel + len(p.to) - 1) % len(p.to)
	case "right", "down", "tab", "l", "j":
		p.sel = (p.sel + 1) % len(p.to)
	case "enter":
		m.pick = nil
		to := p.to[p.sel]
		return m, m.do("control handed to "+to.Name, session.HandControl{To: to}), true
	case "esc", "ctrl+c", "ctrl+g", "q":
		m.pick = nil
		return m, nil, true
	}
	m.pick = &p
	return m, nil, true
}

// line is the chooser drawn on the pairing line. The choice is bracketed,
// not only highlighted, so it reads without colour.
func (m model) pickLine() string {
	s := m.sty
	var names []string
	for i, p := range m.pick.to {
		name := p.Name + " (" + string(p.Role) + ")"
		if i == m.pick.sel {
			name = s.Selected.Render("[" + name + "]")
		}
		names = append(names, name)
	}
	return "hand control to: " + strings.Join(names, " ") +
		s.Muted.Render(" · ←/→ choose · enter hand over · esc cancel")
}
