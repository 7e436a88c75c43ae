package console

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"runway/ui/inert"
)

// Below 80×24 the console draws a compact screen instead of refusing: a
// stop is never out of sight. Down to 40×10 it keeps the session state, the
// stop banner and its choices (wrapped, never cut), the phase and the item
// looked at, the status line and the help footer; the keys work as on the
// full screen, and a dialog takes the body. Below 40×10 one line is left:
// the state and what holds it.
const (
	compactWidth  = 40
	compactHeight = 10
)

// tiny reports whether only the one-line view fits.
func (m Model) tiny() bool { return m.width < compactWidth || m.height < compactHeight }

// compactView is the screen below 80×24.
func (m Model) compactView() string {
	if m.tiny() {
		return strings.Join(pad([]string{m.oneLineState()}, max(m.height, 1)), "\n")
	}
	head := []string{m.headerLines()[0], m.rule()}
	tail := []string{m.statusLine(), m.footer()}
	// The banner may take every row but the phase and the item's; an open
	// dialog keeps the banner's first line only, and the rest for itself.
	banner := m.compactBanner()
	room := m.height - len(head) - len(tail)
	keep := room - 2
	if m.dialog != nil {
		keep = 1
	}
	if len(banner) > keep {
		banner = banner[:max(keep, 0)]
	}
	rows := room - len(banner)
	var body []string
	if m.dialog != nil {
		body = m.dialog.view(m, m.width, rows)
	} else {
		body = m.compactBody(rows)
	}
	lines := make([]string, 0, m.height)
	lines = append(lines, head...)
	lines = append(lines, pad(body, rows)...)
	lines = append(lines, banner...)
	lines = append(lines, tail...)
	return strings.Join(lines, "\n")
}

// compactBody is the phase looked at and its items, the selected one kept in sight.
func (m Model) compactBody(rows int) []string {
	s := m.sty
	if m.phase >= len(m.rb.Phases) || rows < 1 {
		return nil
	}
	ph := m.rb.Phases[m.phase]
	ps := m.phaseState(m.phase)
	icon, word, sty := m.phaseLook(ps)
	title := ph.Title
	if title == "" {
		title = ph.ID
	}
	settled := 0
	for _, is := range ps.Items {
		if is.Status.Settled() {
			settled++
		}
	}
	out := []string{m.row(false, false, m.width,
		column{text: icon, style: sty, width: 1},
		column{text: "PHASE " + title, style: s.Section, flex: true},
		column{text: word, style: sty, width: len(word)},
		column{text: fmt.Sprintf("%d/%d", settled, len(ph.Items)), style: s.Muted, width: len(fmt.Sprintf("%d/%d", settled, len(ph.Items))), right: true},
	)}
	n := rows - 1
	if n < 1 {
		return out
	}
	top := min(max(m.item-n+1, 0), m.item)
	for i := top; i < len(ph.Items) && i < top+n; i++ {
		it, is := ph.Items[i], m.itemState(m.phase, i)
		icon, word, sty := m.itemLook(is)
		crit := " "
		if it.Critical {
			crit = "!"
		}
		title := it.Title
		if title == "" {
			title = it.ID
		}
		out = append(out, m.row(i == m.item, true, m.width,
			column{text: icon, style: sty, width: 1},
			column{text: title, style: s.Text, flex: true},
			column{text: crit, style: s.Warn, width: 1},
			column{text: word, style: sty, width: len(word)},
		))
	}
	return out
}

// compactBanner is the stop banner and the notices, wrapped to the width.
func (m Model) compactBanner() []string {
	s := m.sty
	var out []string
	add := func(sty func(...string) string, text string) {
		for _, l := range wrap(inert.Line(text), m.width-1) {
			out = append(out, sty(fit(" "+l, m.width)))
		}
	}
	if m.endErr != nil {
		add(s.Banner.Render, "✗ SESSION ENDED: "+inert.OneLine(m.endErr.Error()))
	}
	if st := m.st.Stop; st != nil {
		text := "■ STOPPED · " + where(st.Phase, st.Item)
		if st.Reason != "" {
			text += ": " + inert.OneLine(st.Reason)
		}
		add(s.Banner.Render, text)
		for _, l := range pack(strings.Split(strings.TrimSpace(m.stopChoiceLine()), " · "), " · ", m.width-1) {
			out = append(out, s.Banner.Render(fit(" "+l, m.width)))
		}
	}
	if m.st.Pending != nil {
		out = append(out, m.pendingBanner()...)
	}
	if rb := m.st.Rollback; rb != nil && rb.Running {
		add(s.Notice.Render, fmt.Sprintf("↺ rolling back to %s: step %d of %d", rb.Point, min(rb.Done+1, len(rb.Steps)), len(rb.Steps)))
	}
	for _, inc := range m.st.Incidents {
		if !inc.Closed {
			add(s.Notice.Render, "⚑ incident "+inert.OneLine(inc.Procedure)+" open · e")
		}
	}
	if strip := m.guardStrip(); strip != "" { // guards.go
		out = append(out, strip)
	}
	return out
}

// oneLineState is all that fits below 40×10: the state and what holds it.
func (m Model) oneLineState() string {
	icon, word, sty := m.stateMark()
	text := "runway " + icon + " " + word
	switch {
	case m.tinyQuit:
		text = m.tinyQuitLine()
	case m.endErr != nil:
		text = "runway ✗ ended: " + inert.OneLine(m.endErr.Error())
	case m.st.Pending != nil:
		text += " · " + where(m.st.Pending.Phase, m.st.Pending.Item)
	case m.st.Stop != nil:
		text += " · " + where(m.st.Stop.Phase, m.st.Stop.Item)
		if m.st.Stop.Reason != "" {
			text += ": " + inert.OneLine(m.st.Stop.Reason)
		}
	}
	return sty.Render(cut(inert.Line(text), m.width))
}

// pack joins parts with sep into lines of at most w cells, breaking only
// between parts (a choice and its key stay together); a part wider than w
// is wrapped on its own.
func pack(parts []string, sep string, w int) []string {
	var out []string
	line := ""
	for _, p := range parts {
		p = inert.Line(p)
		switch {
		case line == "":
			line = p
		case ansi.StringWidth(line+sep+p) <= w:
			line += sep + p
		default:
			out = append(out, line)
			line = p
		}
		if ansi.StringWidth(line) > w {
			wrapped := wrap(line, w)
			out = append(out, wrapped[:len(wrapped)-1]...)
			line = wrapped[len(wrapped)-1]
		}
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}
