package console

import (
	"fmt"
	"strings"

	"runway/runbook/fold"

	"runway/ui/inert"

	"github.com/charmbracelet/lipgloss"
)

// The marks below read a status as the lead needs it at a glance: a paused
// engine says paused (not running), and a pass with overrides, warnings or
// skips says so (not a bare passed).

// paused reports whether an item's engine runs but is paused.
func paused(is fold.ItemState) bool {
	return is.Status == fold.ItemRunning && is.Engine != nil && is.Engine.Paused
}

// pausedItem is the id of a paused engine item of the phase, or "".
func pausedItem(ps fold.PhaseState) string {
	for _, is := range ps.Items {
		if paused(is) {
			return is.ID
		}
	}
	return ""
}

// itemLook is an item's icon, status word and style, paused included.
func (m Model) itemLook(is fold.ItemState) (icon, word string, sty lipgloss.Style) {
	if paused(is) {
		return "‖", "paused", m.sty.Warn
	}
	return itemMark(m.sty, is.Status)
}

// phaseLook is a phase's icon, status word and style: paused when one of
// its engines is, and a pass with its outcome ("passed with 1 override").
func (m Model) phaseLook(ps fold.PhaseState) (icon, word string, sty lipgloss.Style) {
	icon, word, sty = phaseMark(m.sty, ps.Status)
	switch {
	case ps.Status == fold.PhaseRunning && pausedItem(ps) != "":
		return "‖", "paused", m.sty.Warn
	case ps.Status == fold.PhasePassed && !ps.Outcome().Clean():
		return icon, ps.Label(), m.sty.Warn
	}
	return icon, word, sty
}

// compactOutcome is a pass's outcome in the item icons, for a narrow row:
// "passed ⚑1 ✗2 »1" (overridden, failed as a warning, skipped); without
// the word, "⚑1 ✗2 »1", where the phase's ✓ says passed.
func compactOutcome(o fold.Outcome, word bool) string {
	var out []string
	if word {
		out = append(out, "passed")
	}
	for _, c := range []struct {
		n    int
		icon string
	}{{o.Overrides, "⚑"}, {o.Warnings, "✗"}, {o.Skips, "»"}} {
		if c.n > 0 {
			out = append(out, fmt.Sprintf("%s%d", c.icon, c.n))
		}
	}
	return strings.Join(out, " ")
}

// sessionLook is the session's icon, status word and style for the header:
// paused (naming the engine) while an engine is, and a pass with its outcome.
func (m Model) sessionLook() (icon, word string, sty lipgloss.Style) {
	icon, word, sty = sessionMark(m.sty, m.st.Status)
	switch {
	case m.st.Status == fold.StatusRunning:
		var ids []string
		for _, ps := range m.st.Phases {
			if id := pausedItem(ps); id != "" {
				ids = append(ids, inert.OneLine(id))
			}
		}
		if len(ids) > 0 {
			return "‖", "paused (" + strings.Join(ids, ", ") + ")", m.sty.Warn
		}
	case m.st.Status == fold.StatusPassed && !m.st.Outcome().Clean():
		return icon, m.st.Label(), m.sty.Warn
	}
	return icon, word, sty
}
