package console

import (
	"github.com/charmbracelet/lipgloss"

	"runway/runbook/fold"
	"runway/ui/style"
)

// itemMark is an item status as an icon, a word and a style: the icon and the
// word carry the meaning, the colour only repeats it.
func itemMark(s style.Styles, st fold.ItemStatus) (icon, word string, sty lipgloss.Style) {
	word = string(st)
	switch st {
	case fold.ItemRunning:
		return "▶", word, s.Running
	case fold.ItemAwaiting:
		return "◇", "awaiting", s.Running
	case fold.ItemPassed:
		return "✓", word, s.OK
	case fold.ItemFailed:
		return "✗", word, s.Fail
	case fold.ItemSkipped:
		return "»", word, s.Muted
	case fold.ItemOverridden:
		return "!", word, s.Warn
	case fold.ItemInterrupted:
		return "‖", word, s.Warn
	}
	return "○", "pending", s.Pending
}

// phaseMark is a phase status as an icon, a word and a style.
func phaseMark(s style.Styles, st fold.PhaseStatus) (icon, word string, sty lipgloss.Style) {
	word = string(st)
	switch st {
	case fold.PhaseReady:
		return "○", word, s.Text
	case fold.PhaseRunning:
		return "▶", word, s.Running
	case fold.PhaseHalted:
		return "■", word, s.Fail
	case fold.PhasePassed:
		return "✓", word, s.OK
	case fold.PhaseRolledBack:
		return "↺", word, s.Warn
	}
	return "·", "locked", s.Pending
}

// sessionMark is the session status as an icon, a word and a style.
func sessionMark(s style.Styles, st fold.SessionStatus) (icon, word string, sty lipgloss.Style) {
	word = string(st)
	switch st {
	case fold.StatusStopped:
		return "■", word, s.Fail
	case fold.StatusRollingBack:
		return "↺", word, s.Warn
	case fold.StatusPassed:
		return "✓", word, s.OK
	case fold.StatusClosed:
		return "‖", word, s.Muted
	}
	if word == "" {
		word = "opening"
	}
	return "▶", word, s.Running
}
