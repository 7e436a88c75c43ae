package console

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// On the one-line view only quitting acts. Where quitting asks first (work
// runs, a stop rule holds) there is no room for the question's dialog, so
// the line asks instead and a second q is the answer; any other key keeps
// the session open.

// yesAnswer is a confirmation whose Yes can be given without its dialog.
type yesAnswer interface {
	answerYes(m Model) (Model, tea.Cmd)
}

func (d riskyConfirm) answerYes(m Model) (Model, tea.Cmd) {
	m.dialog = nil
	return d.onYes(m)
}

func (d confirmDialog) answerYes(m Model) (Model, tea.Cmd) {
	m.dialog = nil
	return d.onYes(m)
}

// tinyKey handles a key on the one-line view.
func (m Model) tinyKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if !key.Matches(msg, m.keys.Quit) {
		m.tinyQuit = false
		return m, nil
	}
	next, cmd := m.quit()
	asked, ok := next.(Model)
	if !ok || asked.dialog == nil {
		return next, cmd
	}
	yes, ok := asked.dialog.(yesAnswer)
	if !ok || asked.typeID() {
		return m, nil // a question that needs typing waits for a larger screen
	}
	if !m.tinyQuit {
		m.tinyQuit = true
		return m, nil
	}
	return yes.answerYes(asked)
}

// typeID reports whether the open dialog asks for an id to be typed.
func (m Model) typeID() bool {
	d, ok := m.dialog.(riskyConfirm)
	return ok && d.typeID != ""
}

// tinyQuitLine is the one-line view's question while a q waits for its second.
func (m Model) tinyQuitLine() string {
	why := "a stop rule holds"
	if m.busy() {
		why = "work runs"
	}
	return "q again quits (" + why + ") · any other key stays"
}
