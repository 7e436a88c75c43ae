package console

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"runway/checks"
	"runway/runbook"
	"runway/runbook/fold"
	"runway/ui/inert"
)

// The dialogs for decisions on an item. Each one names the item it was
// opened on and sends its action when confirmed.

// aboutItem describes an item at the top of a dialog.
func (m Model) aboutItem(sel selection) []string {
	lines := []string{fmt.Sprintf("%s/%s · %s", sel.phase.ID, sel.item.ID, inert.OneLine(sel.item.Title))}
	if sel.is.Summary != "" {
		lines = append(lines, "Result: "+inert.OneLine(sel.is.Summary))
	}
	return lines
}

func (m Model) signOffDialog() dialog {
	sel := m.selected()
	role := itemRole(sel.item)
	lines := m.aboutItem(sel)
	lines = append(lines, fmt.Sprintf("You sign as %s in the role %s.", m.actor(), orNone(role)))
	d := textDialog{
		title: "Sign off", prompt: "Observation (what you saw):", input: m.areaField(2000), action: "sign off",
		choices: []string{string(checks.Pass), string(checks.Fail)},
		submit: func(m Model, text, verdict string) (Model, tea.Cmd) {
			return m, m.signOff(sel.item.ID, role, checks.Verdict(verdict), text)
		},
	}
	if sel.item.Manual != nil {
		if sel.item.Manual.Expect != "" {
			lines = append(lines, "Expect: "+inert.OneLine(sel.item.Manual.Expect))
		}
		if sel.item.Manual.Observe {
			d.required = "this item needs an observation"
		}
	}
	d.lines = lines
	return d
}

func (m Model) skipDialog() dialog {
	sel := m.selected()
	return textDialog{
		title: "Skip a non-critical item", lines: m.aboutItem(sel), prompt: "Reason:", input: m.lineField(500, ""),
		required: "a skip needs a reason", action: "skip",
		submit: func(m Model, text, _ string) (Model, tea.Cmd) { return m, m.skip(sel.item.ID, text) },
	}
}

func (m Model) overrideDialog() dialog {
	sel := m.selected()
	lines := m.aboutItem(sel)
	switch sel.phase.Overrides {
	case runbook.OverrideTwoPerson:
		lines = append(lines, "Policy two-person: a second operator must approve this override before the phase goes on.")
	default:
		lines = append(lines, "Policy reason: the item will count as passed, recorded with your name and reason.")
	}
	return textDialog{
		title: "Override a failed critical item", lines: lines, prompt: "Reason:", input: m.lineField(500, ""),
		required: "an override needs a reason", action: "override",
		submit: func(m Model, text, _ string) (Model, tea.Cmd) {
			if sel.phase.Overrides == runbook.OverrideTwoPerson {
				return m, m.requestOverride(sel.item.ID, text)
			}
			return m, m.override(sel.item.ID, text)
		},
	}
}

func (m Model) approveDialog() dialog {
	p := m.st.Pending
	if p == nil {
		return nil
	}
	item := p.Item
	return confirmDialog{
		title: "Approve an override",
		lines: []string{
			fmt.Sprintf("%s/%s failed; %s asks to override it.", p.Phase, p.Item, p.RequestedBy),
			"Reason: " + inert.OneLine(p.Reason),
			"",
			fmt.Sprintf("Approve as %s? The item then counts as passed.", m.actor()),
		},
		yes: "approve", no: "reject",
		onYes: func(m Model) (Model, tea.Cmd) { return m, m.approve(item, true) },
		onNo:  func(m Model) (Model, tea.Cmd) { return m, m.approve(item, false) },
	}
}

// noteDialog asks for a note; back is the dialog to return to, nil for none.
func (m Model) noteDialog(back dialog) dialog {
	return textDialog{
		title: "Add a note to the audit log", prompt: "Note:", input: m.lineField(2000, ""),
		required: "an empty note is not recorded", action: "record", back: back,
		submit: func(m Model, text, _ string) (Model, tea.Cmd) { return m, m.note(text) },
	}
}

func (m Model) quitDialog() dialog {
	var lines []string
	for p, ps := range m.st.Phases {
		for i, is := range ps.Items {
			if is.Status == fold.ItemRunning && p < len(m.rb.Phases) && i < len(m.rb.Phases[p].Items) {
				it := m.rb.Phases[p].Items[i]
				lines = append(lines, fmt.Sprintf("▶ %s/%s (%s) is running", ps.ID, it.ID, it.Kind()))
			}
		}
	}
	if rb := m.st.Rollback; rb != nil && rb.Running {
		lines = append(lines, "↺ a rollback to "+rb.Point+" is running")
	}
	lines = append(lines, "",
		"Quitting stops the engines at their next checkpoint.",
		"`runway resume` continues the session where it stopped.")
	d := m.risky("Quit while work runs?", lines, "stop and quit", "", func(m Model) (Model, tea.Cmd) { return m.stop() })
	d.no = "keep running"
	return d
}

// leaveDialog is the quit confirmation of a participant who joined someone
// else's session: leaving closes nothing.
func (m Model) leaveDialog() dialog {
	return confirmDialog{
		title: "Leave this session?",
		lines: []string{
			"Leave this session (the lead's session and engines go on).",
			"Connect again to come back.",
		},
		yes: "leave", no: "stay",
		onYes: func(m Model) (Model, tea.Cmd) { return m, tea.Quit },
	}
}

func orNone(s string) string {
	if s == "" {
		return "(none given)"
	}
	return s
}
