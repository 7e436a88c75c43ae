package serve

import (
	"errors"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"

	"runway/runbook/session"
)

// View is the console's screen with the pairing line in its status row:
// the chooser while it is open, else the last pairing outcome, else who you
// are and who has control — unless the console is showing the outcome of
// an action there, which stays until the next key.
func (m model) View() string {
	v := m.con.View()
	lines := strings.Split(v, "\n")
	// Only a full screen has a status row; the console's own "starting" and
	// "terminal too small" screens are left as they are.
	if m.height < 3 || len(lines) != m.height {
		return v
	}
	row := len(lines) - 2
	var line string
	switch {
	case m.pick != nil:
		line = m.pickLine()
	case m.note.fail:
		line = m.sty.StatusFail.Render(m.note.text)
	case m.note.text != "":
		line = m.sty.StatusOK.Render(m.note.text)
	case quietStatus(lines[row]):
		line = m.pairLine()
	default:
		return v
	}
	lines[row] = ansi.Truncate(line, m.width, "…")
	return strings.Join(lines, "\n")
}

// quietStatus reports whether the console's status row says nothing of an
// action: empty, or the observer's standing "watching" notice, which the
// pairing line replaces with something truer.
func quietStatus(line string) bool {
	text := strings.TrimSpace(ansi.Strip(line))
	return text == "" || strings.HasPrefix(text, "watching:")
}

// pairLine says who you are, who has control, who is here and which
// pairing key applies to you now.
func (m model) pairLine() string {
	s := m.sty
	ctl := m.holder
	if ctl == m.me.Name {
		ctl = "you"
	}
	var names []string
	for _, p := range m.here {
		names = append(names, p.Name)
	}
	sep := s.Muted.Render(" · ")
	parts := []string{
		s.Muted.Render("⇄ " + m.me.Name + " (" + string(m.me.Role) + ")"),
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
