package console

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"runway/runbook"
	"runway/ui/inert"
)

// The keys that act only once the lead confirmed (riskyConfirm): what each
// asks, naming what will run.

// highRisk is the id to type before acting in phase p, or "" when a choice is enough.
func highRisk(p runbook.Phase, id string) string {
	if p.Risk == runbook.High {
		return id
	}
	return ""
}

// acts reports whether an item changes something when it runs: a command, a
// SQL statement, a copy, a catch-up that installs triggers, a verify that repairs.
func acts(it runbook.Item) bool {
	switch {
	case it.Command != nil, it.Copy != nil:
		return true
	case it.SQL != nil:
		return it.SQL.Exec != ""
	case it.Catchup != nil:
		return it.Catchup.InstallTriggers
	case it.Verify != nil:
		return it.Verify.Repair
	}
	return false
}

// itemLine names an item in a confirmation: id, kind, critical, title.
func itemLine(it runbook.Item) string {
	crit := ""
	if it.Critical {
		crit = " · critical"
	}
	what := ""
	if acts(it) {
		what = " · acts"
	}
	return fmt.Sprintf("%s (%s%s%s) %s", it.ID, it.Kind(), crit, what, inert.OneLine(it.Title))
}

// runItemKey runs the selected item, asking first when it is critical and acts.
func (m Model) runItemKey() (tea.Model, tea.Cmd) {
	sel := m.selected()
	if sel.item == nil || !(sel.item.Critical && acts(*sel.item)) || !m.keys.Run.Enabled() {
		return m, m.runItem()
	}
	cmd := m.runItem() // names the selection now
	lines := []string{
		fmt.Sprintf("Run %s/%s now?", sel.phase.ID, sel.item.ID),
		"  " + itemLine(*sel.item),
		"It is critical and changes things when it runs; a failure stops the phase.",
	}
	return m.open(m.risky("Run a critical item", lines, "run "+sel.item.ID, highRisk(*sel.phase, sel.item.ID),
		func(m Model) (Model, tea.Cmd) { return m, cmd }))
}

// runPhaseKey asks before running the rest of the selected phase, listing
// the items that will run.
func (m Model) runPhaseKey() (tea.Model, tea.Cmd) {
	sel := m.selected()
	if sel.phase == nil || !m.keys.RunPhase.Enabled() {
		return m, m.runPhase() // the session refuses it and the status says why
	}
	cmd := m.runPhase()
	lines := []string{fmt.Sprintf("Run phase %s (%s, risk %s)? These items run in order:", sel.phase.ID, inert.OneLine(sel.phase.Title), orNone(string(sel.phase.Risk)))}
	for i := max(m.nextItem(m.phase), 0); i < len(sel.phase.Items); i++ {
		if m.itemState(m.phase, i).Status.Settled() {
			continue
		}
		lines = append(lines, fmt.Sprintf("  %d. %s", len(lines), itemLine(sel.phase.Items[i])))
	}
	lines = append(lines, "A manual item waits for its sign-off; a critical failure stops the phase.")
	return m.open(m.risky("Run a phase", lines, "run phase "+sel.phase.ID, highRisk(*sel.phase, sel.phase.ID),
		func(m Model) (Model, tea.Cmd) { return m, cmd }))
}

// overrideKey opens the override dialog; once its reason is given, a
// confirmation says what the override lets go on.
func (m Model) overrideKey() (tea.Model, tea.Cmd) {
	if m.guardStop() { // guards.go: o answers a guard's stop
		return m.open(m.ackGuardDialog())
	}
	d, ok := m.overrideDialog().(textDialog)
	if !ok {
		return m.open(m.overrideDialog())
	}
	sel := m.selected()
	send := d.submit
	d.submit = func(m Model, reason, choice string) (Model, tea.Cmd) {
		lines := []string{
			fmt.Sprintf("Override %s/%s with the reason %q?", sel.phase.ID, sel.item.ID, inert.OneLine(reason)),
			"The failed critical item then counts as passed and the phase goes on.",
		}
		m.dialog = m.risky("Override", lines, "override "+sel.item.ID, highRisk(*sel.phase, sel.item.ID),
			func(m Model) (Model, tea.Cmd) { return send(m, reason, choice) })
		return m, nil
	}
	return m.open(d)
}

// rollbackRisky is the rollback confirmation, as a risky one.
func (m Model) rollbackRisky(point string, lines []string) dialog {
	return m.risky("Roll back", lines, "roll back to "+point, "",
		func(m Model) (Model, tea.Cmd) { return m, m.rollback(point) })
}

// closeIncidentKey closes an incident, asking first when steps are left.
func (m Model) closeIncidentKey(d incidentDialog) (Model, tea.Cmd) {
	p, inc := m.procedure(d.proc), m.incident(d.proc)
	var left []string
	if p != nil {
		for i, step := range p.Steps {
			if inc == nil || i >= len(inc.StepsDone) || !inc.StepsDone[i] {
				left = append(left, fmt.Sprintf("  [ ] %d. %s", i+1, inert.OneLine(step)))
			}
		}
	}
	if len(left) == 0 {
		m.dialog = nil
		return m, m.closeIncident(d.proc)
	}
	lines := append([]string{fmt.Sprintf("Close the incident of %s with %d steps not done?", inert.OneLine(d.proc), len(left))}, left...)
	c := m.risky("Close an incident", lines, "close the incident", "",
		func(m Model) (Model, tea.Cmd) { return m, m.closeIncident(d.proc) })
	c.back, c.no = d, "keep it open"
	m.dialog = c
	return m, nil
}

// quitStoppedDialog asks before leaving a session a stop rule holds.
func (m Model) quitStoppedDialog() dialog {
	s := m.st.Stop
	lines := []string{
		fmt.Sprintf("A stop rule holds on %s/%s: %s", s.Phase, s.Item, inert.OneLine(s.Reason)),
		"Nobody is asked to decide while runway is closed.",
		"`runway resume` opens the session again at this stop.",
	}
	return m.risky("Quit while stopped?", lines, "quit", "", func(m Model) (Model, tea.Cmd) { return m.stop() })
}

// retryKey retries the failed item, asking first when it is critical and
// acts: a retry runs it again. The item is the stopped one when a stop rule
// holds, else the selection.
func (m Model) retryKey() (tea.Model, tea.Cmd) {
	cmd := m.retry()
	sel := m.selected()
	ph, it := sel.phase, sel.item
	if s := m.st.Stop; s != nil {
		ph, it = m.specOf(s.Phase, s.Item)
	}
	if ph == nil || it == nil || !(it.Critical && acts(*it)) || !m.keys.Retry.Enabled() {
		return m, cmd
	}
	lines := []string{
		fmt.Sprintf("Retry %s/%s now?", ph.ID, it.ID),
		"  " + itemLine(*it),
		"It is critical and changes things when it runs again.",
	}
	return m.open(m.risky("Retry a critical item", lines, "retry "+it.ID, highRisk(*ph, it.ID),
		func(m Model) (Model, tea.Cmd) { return m, cmd }))
}

// specOf finds an item of the runbook by phase and item id.
func (m Model) specOf(phase, item string) (*runbook.Phase, *runbook.Item) {
	for p := range m.rb.Phases {
		if m.rb.Phases[p].ID != phase {
			continue
		}
		for i := range m.rb.Phases[p].Items {
			if m.rb.Phases[p].Items[i].ID == item {
				return &m.rb.Phases[p], &m.rb.Phases[p].Items[i]
			}
		}
	}
	return nil, nil
}
