package console

import (
	"errors"

	tea "github.com/charmbracelet/bubbletea"

	"runway/runbook/fold"
	"runway/runbook/session"
	"runway/ui/keys"
)

// Update handles one message. It does no I/O and never waits: talking to the
// session happens in the commands it returns.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		if d, ok := m.dialog.(textDialog); ok {
			m.dialog = d.resized(m.width, m.height)
		}
		m.clamp()
		return m, nil
	case stateMsg:
		m.setState(msg.st)
		return m, tea.Batch(m.waitEvent(), m.signal())
	case unsubscribedMsg:
		return m, nil
	case liveMsg:
		m.clock, m.live = msg.at, msg.live
		m.trend = m.trend.sample(msg.at, msg.live)
		m.updateKeys() // an engine starting or stopping changes what can be done
		return m, m.tick()
	case doneMsg:
		var refused *session.RefusedError
		switch {
		case errors.As(msg.err, &refused):
			m.status = status{text: "✗ " + msg.what + " refused: " + refused.Reason, fail: true}
		case msg.err != nil:
			m.status = status{text: "✗ " + msg.what + " failed: " + msg.err.Error(), fail: true}
		case msg.ok != "":
			m.status = status{text: "✓ " + msg.ok}
		default:
			m.status = status{text: "✓ " + msg.what + " recorded"}
		}
		return m, nil
	case endedMsg:
		m.ended, m.endErr = true, msg.err
		if msg.err != nil {
			m.status = status{}
		} else if !m.quitting {
			m.status = status{text: "session ended (q to quit)"}
		}
		m.updateKeys()
		return m, m.signal()
	case closedMsg:
		if msg.err != nil {
			m.endErr = msg.err
		}
		return m, tea.Quit
	case tea.KeyMsg:
		return keys.OneByOne(m, msg, Model.key)
	case tea.MouseMsg:
		return m.mouse(msg)
	}
	return m, nil
}

// setState takes a new fold of the session and keeps the view on it: the
// view follows the session to its next phase, and the cursor to the next
// item, unless the lead looked elsewhere.
func (m *Model) setState(st fold.State) {
	frontier := m.nextItem(m.phase)
	m.st = st
	// The cursor follows the work while it sits on the item the phase waits
	// for: when that one settles, the cursor moves to the next.
	if next := m.nextItem(m.phase); m.item == frontier && next >= 0 && next != frontier {
		m.item, m.scroll = next, 0
	}
	if st.Current != m.followed {
		if m.phase == m.followed || m.followed < 0 {
			m.phase = st.Current
			m.item = m.firstOpen(st.Current)
			m.itemTop, m.scroll = 0, 0
		}
		m.followed = st.Current
	}
	m.clamp()
	m.updateKeys()
}

// firstOpen is the index of the first item of a phase that is not settled.
func (m Model) firstOpen(p int) int {
	ps := m.phaseState(p)
	for i := range ps.Items {
		if !ps.Items[i].Status.Settled() {
			return i
		}
	}
	return 0
}
