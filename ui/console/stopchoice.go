package console

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"runway/runbook/session"
)

// The stop banner's choices (r retry, o override, x skip) act on the
// stopped item wherever the cursor is: pressing one moves the cursor to
// that item first, so the lead also sees what the choice acts on. b (roll
// back) is the session's, not an item's, and needs nothing of the kind.

// stopTarget is where the stopped item is in the runbook.
func (m Model) stopTarget() (p, i int, ok bool) {
	st := m.st.Stop
	if st == nil {
		return 0, 0, false
	}
	for pi, ph := range m.rb.Phases {
		if st.Phase != "" && ph.ID != st.Phase {
			continue
		}
		for ii, it := range ph.Items {
			if it.ID == st.Item {
				return pi, ii, true
			}
		}
	}
	return 0, 0, false
}

// stopChoiceBindings are the item bindings a stop offers, each with its choice.
func (m *Model) stopChoiceBindings() []struct {
	b      *key.Binding
	choice string
} {
	k := &m.keys
	return []struct {
		b      *key.Binding
		choice string
	}{{&k.Retry, "retry"}, {&k.Override, "override"}, {&k.Skip, "skip"}}
}

// onStopped reports whether the cursor is on the stopped item, or no stop holds.
func (m Model) onStopped() bool {
	p, i, ok := m.stopTarget()
	return !ok || (p == m.phase && i == m.item)
}

// focusStop moves the cursor to the stopped item when msg is one of the
// stop's choices and the cursor is elsewhere.
func (m Model) focusStop(msg tea.KeyMsg) Model {
	if m.onStopped() || m.dialog != nil {
		return m
	}
	for _, c := range m.stopChoiceBindings() {
		if slices.Contains(c.b.Keys(), msg.String()) && slices.Contains(m.st.Stop.Choices, c.choice) {
			m.phase, m.item, _ = m.stopTarget()
			m.scroll = 0
			m.clamp()
			m.updateKeys()
			return m
		}
	}
	return m
}

// stopChoiceKeys sets the stop's choice bindings as they stand for the
// stopped item when the cursor is elsewhere, so the footer offers what the
// banner does and a refused key says why for the item it would act on.
func (m *Model) stopChoiceKeys() {
	if m.onStopped() {
		return
	}
	at := *m
	at.phase, at.item, _ = m.stopTarget()
	at.updateKeys() // on the stopped item: it does not come back here
	mine, theirs := m.stopChoiceBindings(), at.stopChoiceBindings()
	for n, c := range mine {
		if !slices.Contains(m.st.Stop.Choices, c.choice) {
			continue
		}
		*c.b = *theirs[n].b
		for _, name := range c.b.Keys() {
			if why, ok := at.why[name]; ok {
				m.why[name] = why
			} else {
				delete(m.why, name)
			}
		}
	}
}

// stopChoiceLine is the banner's second line: the stop's choices as keys
// (or as the lead's words, for someone who may not take them), and since
// when the stop holds. While an override waits for its approver, override
// and retry are not offered: the request holds them back.
func (m Model) stopChoiceLine() string {
	st := m.st.Stop
	words := m.allowed(session.Retry{}) != nil
	var choices []string
	for _, c := range st.Choices {
		if m.st.Pending != nil && (c == "override" || c == "retry") {
			continue
		}
		if k, ok := choiceKeys[c]; ok && !words {
			c = k
		}
		choices = append(choices, c)
	}
	if m.st.Pending != nil && !words && m.keys.Withdraw.Enabled() {
		choices = append(choices, "w withdraw request")
	}
	line := "   a stop rule holds: later items and phases wait"
	switch {
	case len(choices) > 0 && words:
		line = "   the lead may: " + strings.Join(choices, " · ")
	case len(choices) > 0:
		line = "   choices: " + strings.Join(choices, " · ")
	}
	if !st.Since.IsZero() {
		line += " · since " + clockOf(st.Since, "15:04:05")
	}
	return line
}
