package console

import (
	"strings"

	"runway/ui/inert"
)

// View draws the whole screen: header, body (panes, a dialog or the full
// help), banner, status line and help footer. It reads the model only.
func (m Model) View() string { return m.view(Frame{}) }

// view draws the screen with a wrapper's lines in the frame. Text from
// outside runway is made inert where it is placed, so widths stay true; the
// whole screen then goes through inert.Styled, which keeps the console's own
// colours and shows anything else that could drive the terminal as a
// visible escape, whatever a wrapper or a new pane forgot.
func (m Model) view(f Frame) string {
	return inert.Styled(m.screen(f))
}

// screen draws the screen's lines.
func (m Model) screen(f Frame) string {
	if m.width == 0 && m.height == 0 {
		return "starting runway…"
	}
	if m.tooSmall() {
		return m.compactView()
	}
	l := m.layout()
	lines := make([]string, 0, m.height)
	lines = append(lines, m.headerLines()...)
	if f.Rule != "" {
		lines = append(lines, cut(f.Rule, m.width))
	} else {
		lines = append(lines, m.rule())
	}
	if f.Body != nil {
		// The wrapper's screen takes the banner's rows too.
		lines = append(lines, pad(f.Body, l.body+l.banner)...)
		lines = append(lines, m.frameStatus(f), m.frameFooter(f))
		return strings.Join(lines, "\n")
	}
	var body []string
	switch {
	case m.dialog != nil:
		body = m.dialogLines(l)
	case m.full:
		body = m.fullHelp(l.body)
	default:
		body = m.listLines(l)
		body = append(body, m.listRule(l))
		body = append(body, m.detailLines(l)...)
		if l.note {
			body = append(body, m.latestNote())
		}
	}
	lines = append(lines, pad(body, l.body)...)
	lines = append(lines, m.bannerLines()...)
	lines = append(lines, m.frameStatus(f), m.frameFooter(f))
	return strings.Join(lines, "\n")
}

// frameStatus is the status row: a wrapper's notice, else the console's
// own outcome, else the wrapper's standing line, else the console's.
func (m Model) frameStatus(f Frame) string {
	switch {
	case f.Notice != "":
		return cut(f.Notice, m.width)
	case f.Status != "" && m.status.text == "":
		return cut(f.Status, m.width)
	}
	return m.statusLine()
}

// frameFooter is the wrapper's help line, else the console's.
func (m Model) frameFooter(f Frame) string {
	if f.Footer != "" {
		return cut(f.Footer, m.width)
	}
	return m.footer()
}

// rule is a full-width separator.
func (m Model) rule() string {
	return m.sty.Rule.Render(strings.Repeat("─", m.width))
}

// pad returns exactly n lines: lines cut to n, or padded with empty ones.
func pad(lines []string, n int) []string {
	if len(lines) > n {
		return lines[:n]
	}
	for len(lines) < n {
		lines = append(lines, "")
	}
	return lines
}

// dialogLines are the open dialog at the height it needs, under the phases
// and items when they fit, so the lead still sees what the dialog is about.
func (m Model) dialogLines(l layout) []string {
	box := m.dialog.view(m, m.width, 0)
	if len(box) > l.body {
		return m.dialog.view(m, m.width, l.body)
	}
	list := m.listLines(l)
	if l.body-len(box) < len(list)+1 {
		return box
	}
	lines := append(list, m.listRule(l))
	lines = append(lines, box...)
	return lines
}
