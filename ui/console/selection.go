package console

import (
	"runway/runbook"
	"runway/runbook/fold"
)

// phaseState is the fold of phase p, or a locked phase the fold has not seen.
func (m Model) phaseState(p int) fold.PhaseState {
	if p >= 0 && p < len(m.st.Phases) {
		return m.st.Phases[p]
	}
	ps := fold.PhaseState{Status: fold.PhaseLocked}
	if p >= 0 && p < len(m.rb.Phases) {
		ps.ID = m.rb.Phases[p].ID
	}
	return ps
}

// itemState is the fold of item i of phase p, pending when not seen yet.
func (m Model) itemState(p, i int) fold.ItemState {
	ps := m.phaseState(p)
	if i >= 0 && i < len(ps.Items) {
		return ps.Items[i]
	}
	is := fold.ItemState{Status: fold.ItemPending}
	if p >= 0 && p < len(m.rb.Phases) && i >= 0 && i < len(m.rb.Phases[p].Items) {
		is.ID = m.rb.Phases[p].Items[i].ID
	}
	return is
}

// selection is the phase and item under the cursor, with their state.
type selection struct {
	phase *runbook.Phase
	item  *runbook.Item // nil when the phase has no items
	ps    fold.PhaseState
	is    fold.ItemState
}

func (m Model) selected() selection {
	if m.phase < 0 || m.phase >= len(m.rb.Phases) {
		return selection{}
	}
	s := selection{phase: &m.rb.Phases[m.phase], ps: m.phaseState(m.phase)}
	// An item the filter hides is never acted on: with none shown, none is selected.
	if m.item >= 0 && m.item < len(s.phase.Items) && m.matches(m.phase, m.item) {
		s.item = &s.phase.Items[m.item]
		s.is = m.itemState(m.phase, m.item)
	}
	return s
}

// move selects another item or phase; the detail pane starts at its top.
func (m *Model) move(dPhase, dItem int) {
	if dPhase != 0 {
		m.phase += dPhase
		m.item, m.itemTop = 0, 0
	}
	m.clamp()
	if dItem != 0 {
		m.moveShown(dItem)
	}
	m.scroll = 0
	m.clamp()
	m.updateKeys()
}

// clamp keeps the selection inside the runbook and the selected item in view.
func (m *Model) clamp() {
	m.phase = min(max(m.phase, 0), max(len(m.rb.Phases)-1, 0))
	n := 0
	if m.phase < len(m.rb.Phases) {
		n = len(m.rb.Phases[m.phase].Items)
	}
	m.item = m.firstShownFrom(min(max(m.item, 0), max(n-1, 0)))
	rows := m.layout().listRows
	if rows < 1 {
		rows = 1
	}
	shown := m.shown()
	n = len(shown)
	if pos := shownAt(shown, m.item); pos < m.itemTop { // itemTop counts shown rows
		m.itemTop = pos
	} else if pos >= m.itemTop+rows {
		m.itemTop = pos - rows + 1
	}
	m.itemTop = max(min(m.itemTop, n-rows), 0)
	m.scroll = max(m.scroll, 0)
}

// busy reports whether anything runs that a quit would interrupt, as the
// state says: the live sample lags it by up to a tick, so an engine that has
// just finished would still look busy there.
func (m Model) busy() bool {
	if m.st.Rollback != nil && m.st.Rollback.Running {
		return true
	}
	for _, ps := range m.st.Phases {
		for _, is := range ps.Items {
			if is.Status == fold.ItemRunning {
				return true
			}
		}
	}
	return false
}
