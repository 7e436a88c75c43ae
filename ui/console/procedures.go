package console

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"runway/runbook"
	"runway/runbook/fold"
	"runway/runbook/session"
	"runway/runbook/text"
	"runway/ui/inert"
	"runway/ui/keys"
)

// proceduresDialog lists the emergency procedures; opening one records an
// incident and walks its steps.
type proceduresDialog struct{ sel int }

func (d proceduresDialog) update(m Model, msg tea.KeyMsg) (Model, tea.Cmd) {
	k := d.keys(m, m.dkeys)
	switch {
	case key.Matches(msg, k.Cancel):
		m.dialog = nil
	case moves(msg, k, &d.sel, len(m.rb.Procedures)):
		m.dialog = d
	case key.Matches(msg, k.Read) && d.sel < len(m.rb.Procedures):
		m.dialog = m.procedureReader(m.rb.Procedures[d.sel], d)
	case key.Matches(msg, k.Submit) && d.sel < len(m.rb.Procedures):
		p := m.rb.Procedures[d.sel]
		m.dialog = incidentDialog{proc: p.ID}
		if inc := m.incident(p.ID); m.allowed(session.OpenIncident{}) == nil && (inc == nil || inc.Closed) {
			return m, m.openIncident(p.ID)
		}
	}
	return m, nil
}

func (d proceduresDialog) view(m Model, w, h int) []string {
	s := m.sty
	if len(m.rb.Procedures) == 0 {
		return m.frame("Emergency procedures", []string{s.Muted.Render("This runbook lists no emergency procedures.")}, w, h)
	}
	var rows []string
	for i, p := range m.rb.Procedures {
		row := fmt.Sprintf("%s · %d steps · escalate after %s", procTitle(p), len(p.Steps), p.EscalateAfter)
		if inc := m.incident(p.ID); inc != nil {
			done := countDone(inc.StepsDone)
			if inc.Closed {
				row += fmt.Sprintf(" · closed incident (%d/%d done)", done, len(p.Steps))
			} else {
				row += s.Warn.Render(fmt.Sprintf(" · ⚑ OPEN since %s, %d/%d done", clockOf(inc.Opened, "15:04"), done, len(p.Steps)))
			}
		}
		rows = append(rows, marked(i == d.sel, row))
	}
	return m.scrolled("Emergency procedures · opening one records an incident", rows, w, h, 0, d.sel)
}

func (d proceduresDialog) keys(m Model, k keys.DialogKeys) keys.DialogKeys {
	only(&k, &k.Up, &k.Down, &k.Submit, &k.Read, &k.Cancel)
	k.Submit.SetHelp("enter", "open")
	if m.allowed(session.OpenIncident{}) != nil {
		k.Submit.SetHelp("enter", "view")
	}
	return k
}

// incidentDialog walks an opened procedure: its steps, which are done, and
// when to escalate.
type incidentDialog struct {
	proc string
	sel  int
}

func (d incidentDialog) update(m Model, msg tea.KeyMsg) (Model, tea.Cmd) {
	k := d.keys(m, m.dkeys)
	p := m.procedure(d.proc)
	switch {
	case key.Matches(msg, k.Cancel):
		m.dialog = proceduresDialog{}
	case p != nil && moves(msg, k, &d.sel, len(p.Steps)):
		m.dialog = d
	case key.Matches(msg, k.Toggle):
		return m, m.incidentStep(d.proc, d.sel+1)
	case key.Matches(msg, k.Close):
		return m.closeIncidentKey(d)
	}
	return m, nil
}

func (d incidentDialog) view(m Model, w, h int) []string {
	s := m.sty
	p := m.procedure(d.proc)
	if p == nil {
		return m.frame("Emergency procedure", []string{"unknown procedure " + inert.OneLine(d.proc)}, w, h)
	}
	inc := m.incident(d.proc)
	var rows []string
	switch {
	case inc == nil:
		rows = append(rows, s.Muted.Render("Not opened: no incident is recorded for this procedure."))
	default:
		at := inc.Opened.Add(p.EscalateAfter.D())
		line := fmt.Sprintf("Incident opened %s by %s · escalate after %s, at %s", clockOf(inc.Opened, "15:04:05"), inert.OneLine(inc.Actor), p.EscalateAfter, clockOf(at, "15:04"))
		switch left := at.Sub(m.clock); {
		case inc.Closed:
			line += " · closed"
		case p.EscalateAfter == 0:
		case left > 0:
			line += " (in " + text.Short(left.Truncate(time.Second)) + ")"
		default:
			line = s.Fail.Render(line + " · ESCALATE NOW, overdue by " + text.Short((-left).Truncate(time.Second)))
		}
		rows = append(rows, line)
	}
	rows = append(rows, "")
	keep := len(rows) + d.sel
	for i, step := range p.Steps {
		box := "[ ]"
		if inc != nil && i < len(inc.StepsDone) && inc.StepsDone[i] {
			box = s.OK.Render("[✓]")
		}
		rows = append(rows, marked(i == d.sel, fmt.Sprintf("%s %d. %s", box, i+1, inert.OneLine(step))))
	}
	return m.scrolled("Emergency procedure · "+procTitle(*p), rows, w, h, 0, keep)
}

func (d incidentDialog) keys(m Model, k keys.DialogKeys) keys.DialogKeys {
	inc := m.incident(d.proc)
	open := m.allowed(session.IncidentStep{}) == nil && !m.ended && inc != nil && !inc.Closed
	only(&k, &k.Up, &k.Down, &k.Cancel)
	k.Toggle.SetEnabled(open)
	k.Close.SetEnabled(open)
	k.Cancel.SetHelp("esc", "back")
	return k
}

// procedure finds a procedure of the runbook by id.
func (m Model) procedure(id string) *runbook.Procedure {
	for i := range m.rb.Procedures {
		if m.rb.Procedures[i].ID == id {
			return &m.rb.Procedures[i]
		}
	}
	return nil
}

// incident is the latest incident recorded for a procedure, nil if none.
func (m Model) incident(proc string) *fold.IncidentState {
	for i := len(m.st.Incidents) - 1; i >= 0; i-- {
		if m.st.Incidents[i].Procedure == proc {
			return &m.st.Incidents[i]
		}
	}
	return nil
}

// procTitle is a procedure's title, or its id, as one inert line.
func procTitle(p runbook.Procedure) string {
	if p.Title != "" {
		return inert.OneLine(p.Title)
	}
	return inert.OneLine(p.ID)
}

func countDone(done []bool) int {
	n := 0
	for _, d := range done {
		if d {
			n++
		}
	}
	return n
}
