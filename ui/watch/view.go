package watch

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"runway/ui/console"

	"runway/ui/inert"
)

// View is the console's screen with the watcher's own words in its frame:
// the rule under the header says how the driver stands, and once the driver
// has closed the session or is gone, the status row says the last state is
// kept and how to go on (unless the console has something of its own there).
func (m Model) View() string {
	f := console.Frame{Rule: m.driverLine()}
	if m.driver.Ended() {
		f.Status = m.endedLine()
	}
	return m.con.ViewWith(f)
}

// endedLine is the status row once the driver has ended.
func (m Model) endedLine() string {
	text := "last state kept on screen · q quits"
	if m.driver.State == DriverGone {
		text = "last state kept · runway resume " + m.src.Info().ID + " continues it · q quits"
	}
	return m.sty.Muted.Render(ansi.Truncate(inert.Line(text), m.width, "…"))
}

// driverLine is the rule under the header, titled with the driver's status.
func (m Model) driverLine() string {
	s := m.sty
	d := m.driver
	var sty = s.Running
	var text string
	switch {
	case m.readErr != nil:
		sty, text = s.Fail, "✗ cannot read the audit log, trying again: "+inert.OneLine(m.readErr.Error())
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
	// The driver's host, its closing reason and a read error come from
	// outside: the line is shown inert.
	return s.TitledRule(sty, inert.Line(text), m.width)
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
