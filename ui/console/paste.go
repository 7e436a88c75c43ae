package console

import (
	tea "github.com/charmbracelet/bubbletea"

	"runway/runbook/fold"
)

// pasted handles text pasted outside a dialog (the terminal's bracketed
// paste, which bubbletea turns on by default): it is never read as keys, so
// a pasted sentence cannot run, skip or note anything.
func (m Model) pasted() (tea.Model, tea.Cmd) {
	m.status = status{text: "✗ pasted text ignored: paste into a dialog's text field", fail: true}
	return m, nil
}

// signOffNow opens the sign-off at once, also on a manual item that has not
// started yet: the item is started only when the sign-off is sent, just
// before it, so a key typed ahead never needs a second "press enter first".
func (m Model) signOffNow() dialog {
	d, ok := m.signOffDialog().(textDialog)
	sel := m.selected()
	if !ok || sel.item == nil || sel.is.Status != fold.ItemPending {
		return m.signOffDialog()
	}
	start := m.runItem() // names the selection now
	send := d.submit
	d.submit = func(m Model, text, verdict string) (Model, tea.Cmd) {
		m, cmd := send(m, text, verdict)
		return m, tea.Sequence(start, cmd)
	}
	return d
}
