package console

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"runway/runbook/session"
	"runway/ui/inert"
)

// A two-person override that waits for its approver is a state of its own:
// the header, the banner and the terminal title say so, with since when and
// how the approver approves; the stop banner stops offering the override
// (and the retry the request holds back), and the requester may withdraw it.

// stateMark is the session's state for the header: waiting for an approver
// while a two-person override is pending, else the session's status.
func (m Model) stateMark() (icon, word string, sty lipgloss.Style) {
	if m.st.Pending != nil {
		return "⚑", "waiting for an approver", m.sty.Warn
	}
	return m.sessionLook()
}

// pendingLine says what waits, since when, and who asked why.
func (m Model) pendingLine() string {
	p := m.st.Pending
	line := "⚑ WAITING FOR AN APPROVER"
	if !p.At.IsZero() {
		line += " since " + clockOf(p.At, "15:04")
	}
	return line + fmt.Sprintf(" · override of %s requested by %s: %s", where(p.Phase, p.Item), inert.OneLine(p.RequestedBy), inert.OneLine(p.Reason))
}

// pendingHow says how the override gets decided, from this seat.
func (m Model) pendingHow() string {
	how := "a second person approves from their own seat"
	switch {
	case m.opts.ApproveElsewhere != "":
		how = m.opts.ApproveElsewhere
	case m.keys.Approve.Enabled():
		how = "a approve or reject"
	}
	if m.keys.Withdraw.Enabled() && m.st.Stop == nil { // else the stop's choices offer it
		how += " · w withdraw"
	}
	return "  " + how
}

// pendingBanner is the pending state under the stop banner, wrapped to the
// width: what waits on two lines at most, then how it gets decided in full
// (the approve command is never cut).
func (m Model) pendingBanner() []string {
	what := wrap(inert.Line(m.pendingLine()), m.width-1)
	if len(what) > 2 {
		what[1] = cut(what[1]+" "+what[2], m.width-1)
		what = what[:2]
	}
	lines := append(what, wrap(inert.Line(m.pendingHow()), m.width-1)...)
	for i, l := range lines {
		lines[i] = m.sty.Notice.Render(fit(l, m.width))
	}
	return lines
}

// withdrawKeys offers w to the person who asked for the pending override.
func (m *Model) withdrawKeys(set func(*key.Binding, bool, string)) {
	p := m.st.Pending
	switch {
	case p == nil:
		set(&m.keys.Withdraw, false, "no override request waits")
	case p.RequestedBy != m.actor():
		set(&m.keys.Withdraw, false, "only the person who asked for the override withdraws the request")
	case m.allowed(session.RejectOverride{}) != nil:
		set(&m.keys.Withdraw, false, m.allowed(session.RejectOverride{}).Error())
	default:
		set(&m.keys.Withdraw, true, "")
	}
}

// requestOverride asks for a two-person override; once recorded the status
// line says it waits, not that the override is done.
func (m Model) requestOverride(item, reason string) tea.Cmd {
	cmd := m.override(item, reason)
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		msg := cmd().(doneMsg)
		msg.ok = "override request for " + item + " recorded: it waits for a second person's approval"
		return msg
	}
}

// withdrawDialog asks the requester to confirm withdrawing their request.
func (m Model) withdrawDialog() dialog {
	p := m.st.Pending
	if p == nil {
		return nil
	}
	item := p.Item
	return confirmDialog{
		title: "Withdraw your override request?",
		lines: []string{
			fmt.Sprintf("Override of %s, requested by %s: %s", where(p.Phase, p.Item), inert.OneLine(p.RequestedBy), inert.OneLine(p.Reason)),
			"",
			"Withdrawing records it in the audit log as rejected by you.",
			"The item stays failed and the stop rule holds: retry, roll back, or ask again.",
		},
		yes: "withdraw", no: "keep waiting",
		onYes: func(m Model) (Model, tea.Cmd) {
			return m, m.do("withdrawal of the override request for "+item, session.RejectOverride{Item: item, Actor: m.actor()})
		},
	}
}
