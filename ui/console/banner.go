package console

import (
	"fmt"
	"time"

	"runway/runbook/fold"
	"runway/runbook/text"
	"runway/ui/inert"
)

// choiceKeys maps a stop rule's choices to the keys that take them.
var choiceKeys = map[string]string{
	"retry":       "r retry",
	"override":    "o override",
	"rollback":    "b roll back",
	"skip":        "x skip",
	"acknowledge": "o acknowledge", // a guard's stop (guards.go)
}

// bannerRows is how many rows the banner and notices take.
func (m Model) bannerRows() int { return len(m.bannerLines()) }

// bannerLines are the red stop-rule banner naming the item and the choices,
// then notices for a pending override and a rollback.
func (m Model) bannerLines() []string {
	s := m.sty
	var out []string
	if m.endErr != nil {
		// The session stopped itself: nothing may run unrecorded. Say why in full.
		lines := wrap("✗ SESSION ENDED: "+inert.OneLine(m.endErr.Error()), m.width-2)
		lines = append(lines[:min(len(lines), 2)], "nothing runs unrecorded · q quits · `runway resume` continues once the log can be written")
		for _, l := range lines {
			out = append(out, s.Banner.Render(fit(" "+l, m.width)))
		}
	}
	if st := m.st.Stop; st != nil {
		what := where(st.Phase, st.Item)
		line1 := " ■ STOPPED · " + what
		if st.Reason != "" {
			line1 += ": " + inert.OneLine(st.Reason)
		}
		line2 := m.stopChoiceLine()
		out = append(out, m.bannerWrap(inert.Line(line1))...)
		out = append(out, s.Banner.Render(fit(inert.Line(line2), m.width)))
	}
	if m.st.Pending != nil {
		out = append(out, m.pendingBanner()...)
	}
	if rb := m.st.Rollback; rb != nil {
		switch {
		case rb.Running:
			line := fmt.Sprintf("↺ rolling back to %s: step %d of %d", rb.Point, min(rb.Done+1, len(rb.Steps)), len(rb.Steps))
			if rb.Done < len(rb.Steps) {
				line += " · " + rb.Steps[rb.Done]
			}
			out = append(out, s.Notice.Render(cut(inert.Line(line), m.width)))
		case !rb.OK && !rb.Finished.IsZero():
			line := "✗ rollback to " + rb.Point + " failed"
			if rb.Reason != "" {
				line += ": " + inert.OneLine(rb.Reason)
			}
			out = append(out, s.Fail.Render(cut(inert.Line(line), m.width)))
		}
	}
	for _, inc := range m.st.Incidents {
		if !inc.Closed {
			out = append(out, m.incidentNotice(inc))
		}
	}
	if strip := m.guardStrip(); strip != "" { // guards.go
		out = append(out, strip)
	}
	return out
}

// incidentNotice keeps an open emergency procedure in sight: its steps done
// and when to escalate, in red once that time has passed.
func (m Model) incidentNotice(inc fold.IncidentState) string {
	title, after := inc.Procedure, time.Duration(0)
	if p := m.procedure(inc.Procedure); p != nil {
		title, after = procTitle(*p), p.EscalateAfter.D()
	}
	line := fmt.Sprintf("⚑ incident %s: %d/%d steps", inert.OneLine(title), countDone(inc.StepsDone), len(inc.StepsDone))
	if after > 0 {
		at := inc.Opened.Add(after)
		if left := at.Sub(m.clock); left > 0 {
			line += fmt.Sprintf(" · escalate at %s (in %s)", clockOf(at, "15:04"), text.Short(left.Truncate(time.Second)))
		} else {
			return m.sty.Fail.Render(cut(line+" · ESCALATE NOW (due "+clockOf(at, "15:04")+") · e", m.width))
		}
	}
	return m.sty.Notice.Render(cut(line+" · e", m.width))
}
