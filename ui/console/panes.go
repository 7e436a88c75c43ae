package console

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"runway/runbook"
	"runway/runbook/session"
	"runway/ui/style"
)

// listLines are the phases pane and the items pane side by side, each with
// its title line.
func (m Model) listLines(l layout) []string {
	left := m.phaseLines(l.leftW, l.listRows)
	right := m.itemLines(l.rightW, l.listRows)
	sep := m.sty.Rule.Render(" │ ")
	out := make([]string, len(left))
	for i := range left {
		out[i] = fit(left[i], l.leftW) + sep + right[i]
	}
	return out
}

// column is one cell of a row: its text, style and width.
type column struct {
	text  string
	style lipgloss.Style
	width int
	right bool // aligned right
	flex  bool // takes the width left over (the title)
}

// row lays out cells in w columns, one space apart. The selected row is
// marked with › and, in colour, drawn reversed as one piece.
func (m Model) row(selected bool, w int, cells ...column) string {
	fixed := 1 + len(cells) - 1 // the marker, and a space between cells
	for _, c := range cells {
		if !c.flex {
			fixed += c.width
		}
	}
	var plain, styled strings.Builder
	mark := " "
	if selected {
		mark = "›"
	}
	plain.WriteString(mark)
	styled.WriteString(mark)
	for i, c := range cells {
		width := c.width
		if c.flex {
			width = max(w-fixed, 1)
		}
		cell := oneLine(c.text)
		text := fit(cell, width)
		if c.right {
			text = strings.Repeat(" ", max(width-ansi.StringWidth(cell), 0)) + cut(cell, width)
		}
		if i > 0 {
			plain.WriteByte(' ')
			styled.WriteByte(' ')
		}
		plain.WriteString(text)
		styled.WriteString(c.style.Render(text))
	}
	if selected && m.sty.Color {
		return m.sty.Selected.Render(plain.String())
	}
	return styled.String()
}

// phaseLines are the PHASES title and one row per phase: icon and status
// word, risk level and how many items are settled.
func (m Model) phaseLines(w, rows int) []string {
	s := m.sty
	out := make([]string, 0, rows+1)
	out = append(out, s.Section.Render(cut("PHASES", w)))
	n := len(m.rb.Phases)
	words, progs, risks := make([]string, n), make([]string, n), make([]string, n)
	wordW, riskW, progW := 0, 0, 0
	for i, ph := range m.rb.Phases {
		ps := m.phaseState(i)
		_, words[i], _ = phaseMark(s, ps.Status)
		settled := 0
		for _, is := range ps.Items {
			if is.Status.Settled() {
				settled++
			}
		}
		progs[i] = fmt.Sprintf("%d/%d", settled, len(ph.Items))
		risks[i] = string(ph.Risk)
		if ph.Risk == runbook.Medium && w < 40 {
			risks[i] = "med" // the pane is narrow at 80 columns: titles need the room
		}
		wordW, riskW, progW = max(wordW, len(words[i])), max(riskW, len(risks[i])), max(progW, len(progs[i]))
	}
	top := m.phaseTop(rows)
	for i := top; i < n && i < top+rows; i++ {
		ph := m.rb.Phases[i]
		icon, _, sty := phaseMark(s, m.phaseState(i).Status)
		title := ph.Title
		if title == "" {
			title = ph.ID
		}
		titleStyle := s.Text
		if i == m.phase {
			titleStyle = s.Title
		}
		out = append(out, m.row(i == m.phase, w,
			column{text: icon, style: sty, width: 1},
			column{text: title, style: titleStyle, flex: true},
			column{text: words[i], style: sty, width: wordW},
			column{text: risks[i], style: riskStyle(s, ph.Risk), width: riskW},
			column{text: progs[i], style: s.Muted, width: progW, right: true},
		))
	}
	return pad(out, rows+1)
}

// itemLines are the ITEMS title (the phase looked at) and one row per item:
// icon, title, kind, a ! for critical, status word and duration.
func (m Model) itemLines(w, rows int) []string {
	s := m.sty
	out := make([]string, 0, rows+1)
	if m.phase >= len(m.rb.Phases) {
		return pad(append(out, s.Section.Render("ITEMS")), rows+1)
	}
	ph := m.rb.Phases[m.phase]
	head := "ITEMS" + m.filterTag() + " · " + oneLine(ph.Title)
	if ph.Risk != "" {
		head += " · risk " + oneLine(string(ph.Risk))
	}
	if ph.Expected.Text != "" {
		head += " · expected " + oneLine(ph.Expected.Text)
	}
	const legend = "  ! = critical"
	if ansi.StringWidth(head)+len(legend) <= w {
		out = append(out, s.Section.Render(head)+s.Muted.Render(legend))
	} else {
		out = append(out, s.Section.Render(cut(head, w)))
	}
	if len(ph.Items) == 0 {
		return pad(append(out, s.Muted.Render(" no items")), rows+1)
	}
	// Column widths fit the phase's widest value, so titles get the rest.
	kindW, wordW, durW := 0, 0, 0
	durs := make([]string, len(ph.Items))
	for i, it := range ph.Items {
		is := m.itemState(m.phase, i)
		_, word, _ := itemMark(s, is.Status)
		durs[i] = short(m.itemDuration(is))
		kindW, wordW, durW = max(kindW, len(it.Kind())), max(wordW, len(word)), max(durW, len(durs[i]))
	}
	shown := m.shown()
	if len(shown) == 0 {
		return pad(append(out, s.Muted.Render(" no item matches; esc clears the filter")), rows+1)
	}
	for _, i := range shown[min(m.itemTop, len(shown)):min(m.itemTop+rows, len(shown))] {
		it, is := ph.Items[i], m.itemState(m.phase, i)
		icon, word, sty := itemMark(s, is.Status)
		crit := " "
		if it.Critical {
			crit = "!"
		}
		title := it.Title
		if title == "" {
			title = it.ID
		}
		cells := []column{
			{text: icon, style: sty, width: 1},
			{text: title, style: s.Text, flex: true},
			{text: it.Kind(), style: s.Muted, width: kindW},
			{text: crit, style: s.Warn, width: 1},
			{text: word, style: sty, width: wordW},
		}
		if durW > 0 {
			cells = append(cells, column{text: durs[i], style: s.Muted, width: durW, right: true})
		}
		out = append(out, m.row(i == m.item, w, cells...))
	}
	return pad(out, rows+1)
}

// riskStyle colours a risk level; the word says it anyway.
func riskStyle(s style.Styles, l runbook.Level) lipgloss.Style {
	switch l {
	case runbook.High:
		return s.Fail
	case runbook.Medium:
		return s.Warn
	}
	return s.Text
}

// itemDuration is how long the item ran, or has been running; -1 if it has not started.
func (m Model) itemDuration(is session.ItemState) time.Duration {
	switch {
	case is.Started.IsZero():
		return -1
	case is.Status == session.ItemRunning || is.Status == session.ItemAwaiting:
		return m.clock.Sub(is.Started)
	case !is.Ended.IsZero():
		return is.Ended.Sub(is.Started)
	}
	return -1
}
