package console

import (
	"github.com/charmbracelet/lipgloss"

	"runway/runbook/session"
	"runway/ui/style"
)

// itemMark is an item status as an icon, a word and a style: the icon and the
// word carry the meaning, the colour only repeats it.
func itemMark(s style.Styles, st session.ItemStatus) (icon, word string, sty lipgloss.Style) {
	word = string(st)
	switch st {
	case session.ItemRunning:
		return "▶", word, s.Running
	case session.ItemAwaiting:
		return "◇", "awaiting", s.Running
	case session.ItemPassed:
		return "✓", word, s.OK
	case session.ItemFailed:
		return "✗", word, s.Fail
	case session.ItemSkipped:
		return "»", word, s.Muted
	case session.ItemOverridden:
		return "!", word, s.Warn
	case session.ItemInterrupted:
		return "‖", word, s.Warn
	}
	return "○", "pending", s.Pending
}

// phaseMark is a phase status as an icon, a word and a style.
func phaseMark(s style.Styles, st session.PhaseStatus) (icon, word string, sty lipgloss.Style) {
	word = string(st)
	switch st {
	case session.PhaseReady:
		return "○", word, s.Text
	case session.PhaseRunning:
		return "▶", word, s.Running
	case session.PhaseHalted:
		return "■", word, s.Fail
	case session.PhasePassed:
		return "✓", word, s.OK
	case session.PhaseRolledBack:
		return "↺", word, s.Warn
	}
	return "·", "locked", s.Pending
}

// sessionMark is the session status as an icon, a word and a style.
func sessionMark(s style.Styles, st session.SessionStatus) (icon, word string, sty lipgloss.Style) {
	word = string(st)
	switch st {
	case session.StatusStopped:
		return "■", word, s.Fail
	case session.StatusRollingBack:
		return "↺", word, s.Warn
	case session.StatusPassed:
		return "✓", word, s.OK
	case session.StatusClosed:
		return "‖", word, s.Muted
	}
	if word == "" {
		word = "opening"
	}
	return "▶", word, s.Running
}
