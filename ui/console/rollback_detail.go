package console

import (
	"fmt"
	"strings"

	"runway/runbook/fold"
	"runway/runbook/text"
	"runway/ui/inert"
)

// maxStepOutputLines bounds each rollback step's output in the detail pane;
// the report has it whole.
const maxStepOutputLines = 40

// rollbackFirst reports whether the latest rollback leads the detail pane:
// while it runs, and when it stopped short (the lead must look at it first).
func (m Model) rollbackFirst() bool {
	rb := m.st.Rollback
	return rb != nil && (rb.Running || !rb.OK)
}

// rollbackTouches reports whether the latest rollback ran steps of phase id.
func (m Model) rollbackTouches(id string) bool {
	if m.st.Rollback == nil {
		return false
	}
	for _, s := range m.st.Rollback.Steps {
		if phase, _, _ := strings.Cut(s, "/"); phase == id {
			return true
		}
	}
	return false
}

// rollbackLines are the latest rollback's steps as the detail pane shows
// them: each with its state and duration, its result and its output.
func (m Model) rollbackLines(w int) []string {
	s := m.sty
	rb := m.st.Rollback
	if rb == nil {
		return nil
	}
	head := "Rollback to " + inert.OneLine(rb.Point)
	sty := s.Warn
	switch {
	case rb.Running:
		head += fmt.Sprintf(" · running step %d of %d", min(rb.Done+1, len(rb.Steps)), len(rb.Steps))
	case rb.OK:
		head += " · done at " + clockOf(rb.Finished, "15:04:05")
		sty = s.OK
	default:
		head += " · did not finish"
		if rb.Reason != "" {
			head += ": " + inert.OneLine(rb.Reason)
		}
		sty = s.Fail
	}
	out := make([]string, 0, 2+3*len(rb.Steps))
	for _, l := range wrap(head, w) {
		out = append(out, sty.Render(l))
	}
	if len(rb.Steps) == 0 {
		return append(out, s.Muted.Render("  no rollback step applied"))
	}
	for _, step := range rb.Steps {
		out = append(out, m.stepLines(step, w)...)
	}
	return out
}

// stepLines are one rollback step ("phase/step"): a row, then its result
// and output indented under it.
func (m Model) stepLines(step string, w int) []string {
	s := m.sty
	phase, id, _ := strings.Cut(step, "/")
	title, st := id, fold.ItemState{ID: id, Status: fold.ItemPending}
	if pi := m.phaseIndex(phase); pi >= 0 {
		for j, it := range m.rb.Phases[pi].Rollback {
			if fold.StepID(m.rb.Phases[pi], j) == id {
				title = itemTitle(it)
			}
		}
		for _, rs := range m.phaseState(pi).Rollback {
			if rs.ID == id {
				st = rs
			}
		}
	}
	icon, word, sty := m.itemLook(st)
	row := sty.Render(icon+" "+word) + " " + inert.OneLine(phase) + ": " + inert.OneLine(title)
	if d := m.itemDuration(st); d >= 0 {
		row += s.Muted.Render(" · " + text.Short(d))
	}
	out := []string{cut("  "+row, w)}
	if st.Summary != "" {
		out = append(out, wrapIndent("    ", s.Muted.Render("Result: ")+inert.OneLine(st.Summary), w)...)
	}
	if st.Output != "" {
		text := strings.TrimRight(lines(st.Output), "\n")
		all := wrap(text, w-6)
		if n := len(all); n > maxStepOutputLines {
			out = append(out, s.Muted.Render(fmt.Sprintf("      … %d earlier lines not shown", n-maxStepOutputLines)))
			all = all[n-maxStepOutputLines:]
		}
		for _, l := range all {
			out = append(out, "      "+l)
		}
	}
	return out
}

// phaseIndex is the index of the phase with the id, or -1.
func (m Model) phaseIndex(id string) int {
	for i, p := range m.rb.Phases {
		if p.ID == id {
			return i
		}
	}
	return -1
}
