package serve

import (
	"errors"
	"strings"

	"github.com/charmbracelet/bubbles/key"

	"runway/runbook/session"
	"runway/ui/console"
	"runway/ui/inert"
)

// View is the console's screen with the pairing line in its status row:
// the chooser while it is open, else the last pairing outcome, else who you
// are and who has control — unless the console is showing the outcome of
// an action there, which stays until the next key.
func (m model) View() string {
	var f console.Frame
	switch {
	case m.pick != nil:
		f.Notice = m.pickLine()
	case m.note.fail: // an error's text: shown inert
		f.Notice = m.sty.StatusFail.Render(inert.Line(m.note.text))
	case m.note.text != "":
		f.Notice = m.sty.StatusOK.Render(inert.Line(m.note.text))
	default:
		f.Status = m.pairLine()
	}
	return m.con.ViewWith(f)
}

// pairLine says who you are, who has control, who is here and which
// pairing key applies to you now.
func (m model) pairLine() string {
	s := m.sty
	ctl := inert.Line(m.holder)
	if m.holder == m.me.Name {
		ctl = "you"
	}
	var names []string
	for _, p := range m.here {
		names = append(names, inert.Line(p.Name))
	}
	sep := s.Muted.Render(" · ")
	parts := []string{
		s.Muted.Render("⇄ " + inert.Line(m.me.Name) + " (" + string(m.me.Role) + ")"),
		s.Muted.Render("control: " + ctl),
	}
	// The key that applies comes before the list of who is here, which
	// grows and is the part a narrow terminal cuts.
	hint := func(b key.Binding) string { return s.Key.Render(b.Help().Key) + " " + s.Muted.Render(b.Help().Desc) }
	switch {
	case m.me.Role == session.RoleObserver:
		parts = append(parts, s.Muted.Render("read-only"))
	case m.holder == m.me.Name:
		parts = append(parts, hint(m.keys.Give))
	case m.me.Role == session.RoleLead:
		parts = append(parts, hint(m.keys.Take))
	case m.me.Role == session.RoleDriver:
		parts = append(parts, s.Muted.Render("ask for it"))
	}
	parts = append(parts, s.Muted.Render("here: "+strings.Join(names, ", ")))
	return strings.Join(parts, sep)
}

// outcome turns a pairing action's result into the line shown.
func outcome(msg pairDoneMsg) note {
	var refused *session.RefusedError
	switch {
	case errors.As(msg.err, &refused):
		return note{text: "✗ " + refused.Action + " refused: " + refused.Reason + " (recorded)", fail: true}
	case msg.err != nil:
		return note{text: "✗ " + msg.err.Error(), fail: true}
	case msg.ok != "":
		return note{text: "✓ " + msg.ok}
	}
	return note{}
}
