package watch

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// View is the console's screen with the watcher's own words in two places:
// the rule under the header says how the driver stands, and once the driver
// has closed the session or is gone, the console's "watching" status line
// says the last state is kept and how to go on.
func (m Model) View() string {
	v := m.con.View()
	lines := strings.Split(v, "\n")
	i := RuleIndex(lines, m.width)
	if i < 0 {
		return v
	}
	lines[i] = m.driverLine()
	if n := len(lines) - 2; n > i && m.driver.Ended() && ansi.Strip(lines[n]) == observerStatus {
		lines[n] = m.endedLine()
	}
	return strings.Join(lines, "\n")
}

// observerStatus is the console's status line in observer mode when there is
// nothing else to say; the watcher replaces it, and only it.
const observerStatus = "watching: read-only, actions are taken by the operator"

// endedLine replaces the observer status once the driver has ended.
func (m Model) endedLine() string {
	text := "last state kept on screen · q quits"
	if m.driver.State == DriverGone {
		text = "last state kept · runway resume " + m.src.Info().ID + " continues it · q quits"
	}
	return m.sty.Muted.Render(ansi.Truncate(text, m.width, "…"))
}

// RuleIndex is the index of the first line that is a full-width rule (the
// console's separator under its header), or -1. Dialog frames have corners,
// so they never match.
func RuleIndex(lines []string, width int) int {
	if width <= 0 {
		return -1
	}
	for i, l := range lines {
		plain := ansi.Strip(l)
		if ansi.StringWidth(plain) == width && strings.Trim(plain, "─") == "" {
			return i
		}
	}
	return -1
}

// driverLine is the rule under the header, titled with the driver's status.
func (m Model) driverLine() string {
	s := m.sty
	d := m.driver
	var sty = s.Running
	var text string
	switch {
	case m.readErr != nil:
		sty, text = s.Fail, "✗ cannot read the audit log, trying again: "+oneLine(m.readErr.Error())
	case d.State == DriverRunning:
		text = "● " + d.String() + m.freshness()
	case d.State == DriverClosed:
		sty, text = s.Warn, "■ "+d.String()
	case d.State == DriverGone:
		sty, text = s.Fail, "✗ "+d.String()
	default:
		sty, text = s.Warn, "? "+d.String()+m.freshness()
	}
	if m.opts.Latest && !d.Ended() {
		icon, rest, _ := strings.Cut(text, " ")
		text = icon + " latest running session, " + rest
	}
	return TitledRule(s.Rule.Render, sty.Render, text, m.width)
}

// freshness says how long ago the last event was written.
func (m Model) freshness() string {
	if m.last.IsZero() || m.now.IsZero() {
		return ""
	}
	ago := m.now.Sub(m.last)
	if ago < time.Second {
		return " · last event just now"
	}
	return " · last event " + ago.Truncate(time.Second).String() + " ago"
}

// TitledRule is "── text ─────" exactly w cells wide, the dashes drawn with
// rule and the text with title; text is cut to fit.
func TitledRule(rule, title func(...string) string, text string, w int) string {
	room := w - 5 // "── " before, " ─" at least after
	if room < 1 {
		return rule(strings.Repeat("─", max(w, 0)))
	}
	if ansi.StringWidth(text) > room {
		text = ansi.Truncate(text, room, "…")
	}
	fill := w - 4 - ansi.StringWidth(text)
	return rule("── ") + title(text) + rule(" "+strings.Repeat("─", fill))
}
