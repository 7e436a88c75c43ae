package console

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"runway/runbook/fold"
	"runway/ui/inert"
	"runway/ui/keys"
)

// rollbackDialog lists the rollback points, newest first, under a first
// entry that sets a new one. Choosing a point asks for confirmation, showing
// the steps that will run.
type rollbackDialog struct{ sel int }

// rollbackDialog opens on a choice that can be taken: on the newest point
// when no point may be set now, so that enter never lands on a refusal.
func (m Model) rollbackDialog() rollbackDialog {
	if m.pointBlocked() != "" && len(m.st.RollbackPoints) > 0 {
		return rollbackDialog{sel: 1}
	}
	return rollbackDialog{}
}

// points are the rollback points, newest first.
func (m Model) points() []fold.RollbackPoint {
	n := len(m.st.RollbackPoints)
	out := make([]fold.RollbackPoint, n)
	for i, p := range m.st.RollbackPoints {
		out[n-1-i] = p
	}
	return out
}

func (d rollbackDialog) update(m Model, msg tea.KeyMsg) (Model, tea.Cmd) {
	k := d.keys(m, m.dkeys)
	points := m.points()
	if sel, ok := moved(msg, k, d.sel, len(points)+1); ok {
		d.sel = sel
		m.dialog = d
		return m, nil
	}
	switch {
	case key.Matches(msg, k.Cancel):
		m.dialog = nil
	case msg.Type == tea.KeyEnter && d.sel == 0 && m.pointBlocked() != "":
		m.status = status{text: "✗ no rollback point now: " + m.pointBlocked(), fail: true}
	case key.Matches(msg, k.Submit) && d.sel == 0:
		m.dialog = textDialog{
			title: "Set a rollback point", prompt: "Name:", input: m.lineField(100, ""), action: "set",
			lines:    []string{"The point records the session's state now; a rollback to it undoes what came after."},
			required: "a rollback point needs a name",
			submit:   func(m Model, name, _ string) (Model, tea.Cmd) { return m, m.setPoint(name) },
		}
	case key.Matches(msg, k.Submit):
		m.dialog = m.rollbackConfirm(points[d.sel-1])
	}
	return m, nil
}

func (d rollbackDialog) view(m Model, w, h int) []string {
	s := m.sty
	set := "+ set a rollback point now"
	if why := m.pointBlocked(); why != "" {
		set = s.Muted.Render("+ set a rollback point (not now: " + why + ")")
	}
	rows := []string{marked(d.sel == 0, set)}
	for i, p := range m.points() {
		rows = append(rows, marked(d.sel == i+1, fmt.Sprintf("↺ %-24s set after phase %s at %s", p.Name, orNone(p.Phase), clockOf(p.At, "15:04:05"))))
	}
	if len(m.st.RollbackPoints) == 0 {
		rows = append(rows, s.Muted.Render("  no rollback point yet: a phase that passes sets its own"))
	}
	return m.scrolled("Rollback points", rows, w, h, 0, d.sel)
}

func (d rollbackDialog) keys(m Model, k keys.DialogKeys) keys.DialogKeys {
	only(&k, &k.Up, &k.Down, &k.Submit, &k.Cancel)
	if d.sel == 0 {
		k.Submit.SetHelp("enter", "set a point")
		k.Submit.SetEnabled(m.pointBlocked() == "")
	} else {
		k.Submit.SetHelp("enter", "roll back to it")
	}
	return k
}

// rollbackConfirm asks before rolling back, listing the steps that will run.
func (m Model) rollbackConfirm(p fold.RollbackPoint) dialog {
	steps := m.rollbackPlan(p)
	lines := []string{fmt.Sprintf("Roll back to %s (set %s)?", p.Name, clockOf(p.At, "15:04:05"))}
	if len(steps) == 0 {
		lines = append(lines, "No rollback step applies: nothing has run since this point.")
	} else {
		lines = append(lines, "These rollback steps run, newest phase first:")
		for i, s := range steps {
			lines = append(lines, fmt.Sprintf("  %d. %s", i+1, s))
		}
	}
	lines = append(lines, "", "Each step is recorded; a failing step stops the rollback with a banner.")
	point := p.Name
	return m.rollbackRisky(point, lines)
}

// rollbackPlan lists the rollback steps of every phase entered after the
// point's phase, newest first: what the session will run to get back there.
// It mirrors the session's plan, which the rollback.started event records.
func (m Model) rollbackPlan(p fold.RollbackPoint) []string {
	from := -1
	for i, ph := range m.rb.Phases {
		if ph.ID == p.Phase {
			from = i
		}
	}
	var steps []string
	for i := len(m.rb.Phases) - 1; i > from; i-- {
		if !m.hadWork(i) {
			continue
		}
		ph := m.rb.Phases[i]
		for _, it := range ph.Rollback {
			title := it.Title
			if title == "" {
				title = it.ID
			}
			steps = append(steps, fmt.Sprintf("%s: %s", ph.ID, inert.OneLine(title)))
		}
	}
	return steps
}

// hadWork reports whether phase p changed anything a rollback must undo: it
// passed, or it runs or halted with an item past pending.
func (m Model) hadWork(p int) bool {
	ps := m.phaseState(p)
	switch ps.Status {
	case fold.PhasePassed:
		return true
	case fold.PhaseRunning, fold.PhaseHalted:
		for _, is := range ps.Items {
			if is.Status != fold.ItemPending {
				return true
			}
		}
	}
	return false
}

// pointBlocked says why no rollback point may be set now, or "".
func (m Model) pointBlocked() string {
	switch {
	case m.busy():
		return "something is running"
	case m.st.Stop != nil:
		return "a stop rule holds"
	}
	return ""
}

// marked prefixes a list row with the selection marker.
func marked(on bool, row string) string {
	if on {
		return "› " + row
	}
	return "  " + row
}
