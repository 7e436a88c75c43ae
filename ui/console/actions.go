package console

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"runway/checks"
	"runway/runbook/session"
)

// The commands below send one action each. They name the selection at the
// moment the key was pressed, so later events cannot retarget them.

func (m Model) runItem() tea.Cmd {
	sel := m.selected()
	return m.do("run "+sel.item.ID, session.RunItem{Phase: sel.phase.ID, Item: sel.item.ID, Actor: m.actor()})
}

func (m Model) runPhase() tea.Cmd {
	sel := m.selected()
	return m.do("run phase "+sel.phase.ID, session.RunPhase{Phase: sel.phase.ID, Actor: m.actor()})
}

func (m Model) retry() tea.Cmd {
	sel := m.selected()
	return m.do("retry "+sel.item.ID, session.Retry{Item: sel.item.ID, Actor: m.actor()})
}

func (m Model) signOff(item, role string, verdict checks.Verdict, observation string) tea.Cmd {
	so := checks.SignOff{Operator: m.actor(), Role: role, Verdict: verdict, Observation: observation}
	return m.do("sign-off of "+item+" ("+string(verdict)+")", session.SignOff{Item: item, SignOff: so, Actor: m.actor()})
}

func (m Model) skip(item, reason string) tea.Cmd {
	return m.do("skip of "+item, session.Skip{Item: item, Reason: reason, Actor: m.actor()})
}

func (m Model) override(item, reason string) tea.Cmd {
	return m.do("override of "+item, session.Override{Item: item, Reason: reason, Actor: m.actor()})
}

func (m Model) approve(item string, yes bool) tea.Cmd {
	if yes {
		return m.do("approval of the override of "+item, session.ApproveOverride{Item: item, Actor: m.actor()})
	}
	return m.do("rejection of the override of "+item, session.RejectOverride{Item: item, Actor: m.actor()})
}

func (m Model) setPoint(name string) tea.Cmd {
	return m.do("rollback point "+name, session.SetRollbackPoint{Name: name, Actor: m.actor()})
}

func (m Model) rollback(point string) tea.Cmd {
	return m.do("rollback to "+point, session.Rollback{Point: point, Actor: m.actor()})
}

func (m Model) note(text string) tea.Cmd {
	return m.do("note", session.Note{Text: text, Actor: m.actor()})
}

// pause pauses the selected engine, or resumes it when paused.
func (m Model) pause() tea.Cmd {
	sel := m.selected()
	if sel.is.Engine != nil && sel.is.Engine.Paused {
		return m.do("resume of "+sel.item.ID, session.ResumeEngine{Item: sel.item.ID, Actor: m.actor()})
	}
	return m.do("pause of "+sel.item.ID, session.PauseEngine{Item: sel.item.ID, Actor: m.actor()})
}

func (m Model) openIncident(proc string) tea.Cmd {
	return m.do("incident "+proc, session.OpenIncident{Procedure: proc, Actor: m.actor()})
}

func (m Model) incidentStep(proc string, step int) tea.Cmd {
	return m.do(fmt.Sprintf("step %d of %s", step, proc), session.IncidentStep{Procedure: proc, Step: step, Actor: m.actor()})
}

func (m Model) closeIncident(proc string) tea.Cmd {
	return m.do("closing of incident "+proc, session.CloseIncident{Procedure: proc, Actor: m.actor()})
}
