package console

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// key handles a key press: the open dialog gets it first, then the console's
// bindings. A key whose action does not apply now says why in the status line.
func (m Model) key(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch {
	case msg.Paste && m.dialog == nil:
		return m.pasted()
	case m.quitting:
		if msg.Type == tea.KeyCtrlC { // do not wait for the engines to reach a checkpoint
			return m, tea.Quit
		}
		return m, nil
	case m.find.typing:
		return m.findKey(msg)
	case m.dialog != nil:
		if msg.Type == tea.KeyCtrlC { // the way out of any dialog, as esc is
			m.dialog = nil
			return m, nil
		}
		return m.dialog.update(m, msg)
	}
	m.status = status{} // a new key: the last outcome has been read
	if m.tiny() {
		return m.tinyKey(msg)
	}
	m = m.focusStop(msg) // a banner choice acts on the stopped item
	if key.Matches(msg, m.keys.Quit) {
		return m.quit()
	}
	if m.viewKey(msg) {
		return m, nil
	}
	for _, act := range []func(tea.KeyMsg) (tea.Model, tea.Cmd, bool){m.itemKey, m.sessionKey, m.engineKey} {
		if next, cmd, ok := act(msg); ok {
			return next, cmd
		}
	}
	if why, ok := m.why[msg.String()]; ok {
		m.status = status{text: "✗ " + msg.String() + ": " + why, fail: true}
	}
	return m, nil
}

// viewKey handles the keys that change only what is shown: help, search,
// selection and scrolling. It reports whether msg was one of them.
func (m *Model) viewKey(msg tea.KeyMsg) bool {
	k := m.keys
	switch {
	case key.Matches(msg, k.Help):
		m.full = !m.full
	case msg.Type == tea.KeyEsc:
		m.full, m.status = false, status{}
		m.find = finder{}
	case key.Matches(msg, k.Filter):
		m.full, m.find.typing = false, true
	case key.Matches(msg, k.Top):
		m.move(0, -1<<30)
	case key.Matches(msg, k.Bottom):
		m.move(0, 1<<30)
	case key.Matches(msg, k.Up):
		m.move(0, -1)
	case key.Matches(msg, k.Down):
		m.move(0, 1)
	case key.Matches(msg, k.PrevPhase):
		m.move(-1, 0)
	case key.Matches(msg, k.NextPhase):
		m.move(1, 0)
	case key.Matches(msg, k.ScrollUp):
		m.scrollDetail(-1)
	case key.Matches(msg, k.ScrollDown):
		m.scrollDetail(1)
	default:
		return false
	}
	return true
}

// itemKey handles the keys that act on the selected item or its phase.
func (m Model) itemKey(msg tea.KeyMsg) (tea.Model, tea.Cmd, bool) {
	var next tea.Model
	var cmd tea.Cmd
	k := m.keys
	switch {
	case key.Matches(msg, k.Run):
		next, cmd = m.runItemKey()
	case key.Matches(msg, k.RunPhase):
		next, cmd = m.runPhaseKey()
	case key.Matches(msg, k.SignOff):
		next, cmd = m.open(m.signOffNow())
	case key.Matches(msg, k.Skip):
		next, cmd = m.open(m.skipDialog())
	case key.Matches(msg, k.Retry):
		next, cmd = m.retryKey()
	case key.Matches(msg, k.Override):
		next, cmd = m.overrideKey()
	default:
		return m, nil, false
	}
	return next, cmd, true
}

// sessionKey handles the keys that act on the session as a whole: the
// override waiting for approval, rollback, notes and the runbook's lists.
func (m Model) sessionKey(msg tea.KeyMsg) (tea.Model, tea.Cmd, bool) {
	var d dialog
	k := m.keys
	switch {
	case key.Matches(msg, k.Approve):
		d = m.approveDialog()
	case key.Matches(msg, k.Withdraw):
		d = m.withdrawDialog()
	case key.Matches(msg, k.Rollback):
		d = m.rollbackDialog()
	case key.Matches(msg, k.Note):
		d = m.noteDialog(nil)
	case key.Matches(msg, k.Notes):
		d = notesDialog{}
	case key.Matches(msg, k.Risks):
		d = risksDialog{}
	case key.Matches(msg, k.Emergency):
		d = proceduresDialog{}
	default:
		return m, nil, false
	}
	next, cmd := m.open(d)
	return next, cmd, true
}

// engineKey handles the keys that steer a running engine.
func (m Model) engineKey(msg tea.KeyMsg) (tea.Model, tea.Cmd, bool) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Pause):
		return m, m.pause(), true
	case key.Matches(msg, k.Faster):
		return m, m.rate(+1), true
	case key.Matches(msg, k.Slower):
		return m, m.rate(-1), true
	case key.Matches(msg, k.Rate):
		next, cmd := m.open(m.rateDialog())
		return next, cmd, true
	}
	return m, nil, false
}

// open shows a dialog in the body.
func (m Model) open(d dialog) (tea.Model, tea.Cmd) {
	if d != nil {
		m.dialog = d
	}
	return m, nil
}

// scrollDetail moves the detail pane by half a page.
func (m *Model) scrollDetail(dir int) {
	sel := m.selected()
	if sel.item == nil {
		return
	}
	rows := max(m.layout().detailRows, 1)
	n := len(m.detail(sel, m.width))
	m.scroll = min(max(m.scroll+dir*max(rows/2, 1), 0), max(n-rows, 0))
}

// quit leaves at once when nothing runs; otherwise it asks first, because
// quitting stops the engines (at a checkpoint, so resume continues them).
func (m Model) quit() (tea.Model, tea.Cmd) {
	if m.drv == nil {
		return m, tea.Quit
	}
	if m.opts.LeaveOnly {
		// Leaving stops nothing; ask only so that nobody thinks it does.
		if m.busy() && !m.ended {
			return m.open(m.leaveDialog())
		}
		return m, tea.Quit
	}
	if m.busy() && !m.ended {
		return m.open(m.quitDialog())
	}
	if m.st.Stop != nil && !m.ended {
		return m.open(m.quitStoppedDialog())
	}
	return m.stop()
}

// stop closes the session's engines, then quits.
func (m Model) stop() (Model, tea.Cmd) {
	m.quitting = true
	m.dialog = nil
	m.status = status{text: "stopping engines at a checkpoint…"}
	m.updateKeys()
	return m, m.closeSession()
}
