package console

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"runway/runbook"
	"runway/runbook/fold"
	"runway/runbook/text"
	"runway/ui/inert"
	"runway/ui/style"
)

// listLines are the phases pane and the items pane side by side, each with
// its title line. The cursor keys move in the items pane: its title is
// highlighted, and its selected row underlined.
func (m Model) listLines(l layout) []string {
	left := m.phaseLines(l.phases, l.leftW, l.listRows)
	right := m.itemLines(l.rightW, l.listRows)
	sep := m.sty.Rule.Render(" │ ")
	out := make([]string, len(left))
	for i := range left {
		out[i] = fit(left[i], l.leftW) + sep + right[i]
	}
	return out
}

// listRule is the rule under the panes, saying under each how many of its
// rows are out of sight: "↓ 3 more".
func (m Model) listRule(l layout) string {
	n := len(m.rb.Phases)
	top := phaseTop(m.phase, n, l.listRows)
	left := m.hiddenRule(top, n-top-l.listRows, l.leftW)
	items := 0
	if m.phase < n {
		items = len(m.rb.Phases[m.phase].Items)
	}
	right := m.hiddenRule(m.itemTop, items-m.itemTop-l.listRows, l.rightW)
	return left + m.sty.Rule.Render("─┴─") + right
}

// hiddenRule is a rule w wide naming the rows hidden above and below.
func (m Model) hiddenRule(above, below, w int) string {
	var hint string
	switch {
	case above > 0 && below > 0:
		hint = fmt.Sprintf("↑ %d · ↓ %d more", above, below)
	case below > 0:
		hint = fmt.Sprintf("↓ %d more", below)
	case above > 0:
		hint = fmt.Sprintf("↑ %d more", above)
	}
	if hint == "" || ansi.StringWidth(hint)+4 > w {
		return m.sty.Rule.Render(strings.Repeat("─", max(w, 0)))
	}
	fill := w - 3 - ansi.StringWidth(hint)
	return m.sty.Rule.Render("── ") + m.sty.Text.Render(hint) + m.sty.Rule.Render(" "+strings.Repeat("─", fill-1))
}

// phaseTop is the first phase row shown, so that the phase looked at is in view.
func phaseTop(phase, n, rows int) int {
	return max(0, min(phase-rows+1, n-rows))
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
// marked with › and drawn bold (underlined too in the pane the cursor keys
// move in) over each cell's own colour: a focused failed item stays red.
func (m Model) row(selected, focused bool, w int, cells ...column) string {
	fixed := 1 + len(cells) - 1 // the marker, and a space between cells
	for _, c := range cells {
		if !c.flex {
			fixed += c.width
		}
	}
	var styled strings.Builder
	gap, mark := " ", " "
	if selected {
		mark = m.sty.Section.Render("›")
		gap = m.sty.Focus.Underline(focused).Render(" ")
	}
	styled.WriteString(mark)
	for i, c := range cells {
		width := c.width
		if c.flex {
			width = max(w-fixed, 1)
		}
		cell := inert.OneLine(c.text)
		text := fit(cell, width)
		if c.right {
			text = strings.Repeat(" ", max(width-ansi.StringWidth(cell), 0)) + cut(cell, width)
		}
		if i > 0 {
			styled.WriteString(gap)
		}
		sty := c.style
		if selected {
			sty = sty.Bold(true).Underline(focused)
		}
		styled.WriteString(sty.Render(text))
	}
	return styled.String()
}

// phaseLines are the PHASES title and one row per phase: icon and status
// word, risk level and how many items are settled.
func (m Model) phaseLines(f phaseFit, w, rows int) []string {
	s := m.sty
	out := make([]string, 0, rows+1)
	out = append(out, s.Section.Render(cut("PHASES", w)))
	n := len(m.rb.Phases)
	top := phaseTop(m.phase, n, rows)
	for i := top; i < n && i < top+rows; i++ {
		ph := m.rb.Phases[i]
		icon, _, sty := m.phaseLook(m.phaseState(i))
		titleStyle := s.Text
		if i == m.phase {
			titleStyle = s.Title
		}
		cells := []column{
			{text: icon, style: sty, width: 1},
			{text: phaseTitle(ph), style: titleStyle, flex: true},
		}
		if f.wordW > 0 {
			cells = append(cells, column{text: f.words[i], style: sty, width: f.wordW})
		}
		cells = append(cells,
			column{text: f.risks[i], style: riskStyle(s, ph.Risk), width: f.riskW},
			column{text: f.progs[i], style: s.Muted, width: f.progW, right: true})
		out = append(out, m.row(i == m.phase, false, w, cells...))
	}
	return pad(out, rows+1)
}

// legend explains the items pane's marks; it is always shown.
const legend = "! = critical"

// itemLines are the ITEMS title (the phase looked at) and one row per item:
// icon, title, kind, a ! for critical, status word and duration.
func (m Model) itemLines(w, rows int) []string {
	s := m.sty
	out := make([]string, 0, rows+1)
	if m.phase >= len(m.rb.Phases) {
		return pad(append(out, s.FocusTitle.Render("ITEMS")), rows+1)
	}
	ph := m.rb.Phases[m.phase]
	out = append(out, m.itemsTitle(ph, m.phaseState(m.phase), w))
	if len(ph.Items) == 0 {
		return pad(append(out, s.Muted.Render(" no items")), rows+1)
	}
	durW := 0
	durs := make([]string, len(ph.Items))
	for i := range ph.Items {
		durs[i] = text.Short(m.itemDuration(m.itemState(m.phase, i)))
		durW = max(durW, len(durs[i]))
	}
	f := m.itemFitFor(ph, w, durW)
	shown := m.shown()
	if len(shown) == 0 {
		return pad(append(out, s.Muted.Render(" no item matches; esc clears the filter")), rows+1)
	}
	for _, i := range shown[min(m.itemTop, len(shown)):min(m.itemTop+rows, len(shown))] {
		it, is := ph.Items[i], m.itemState(m.phase, i)
		icon, word, sty := m.itemLook(is)
		crit := " "
		if it.Critical {
			crit = "!"
		}
		cells := []column{
			{text: icon, style: sty, width: 1},
			{text: itemTitle(it), style: s.Text, flex: true},
		}
		if f.kindW > 0 {
			cells = append(cells, column{text: f.kind(it), style: s.Muted, width: f.kindW})
		}
		cells = append(cells, column{text: crit, style: s.Warn, width: 1})
		if f.wordW > 0 {
			cells = append(cells, column{text: word, style: sty, width: f.wordW})
		}
		if durW > 0 {
			cells = append(cells, column{text: durs[i], style: s.Muted, width: durW, right: true})
		}
		out = append(out, m.row(i == m.item, true, w, cells...))
	}
	return pad(out, rows+1)
}

// itemsTitle is the items pane's title: ITEMS highlighted as the pane the
// cursor keys move in, the phase, its outcome once it passed, its risk and
// expected time, and the legend, which is never cut.
func (m Model) itemsTitle(ph runbook.Phase, ps fold.PhaseState, w int) string {
	s := m.sty
	head := m.filterTag() + " · " + inert.OneLine(ph.Title)
	if ps.Status == fold.PhasePassed && !ps.Outcome().Clean() {
		head += " · " + ps.Label()
	}
	if ph.Risk != "" {
		head += " · risk " + inert.OneLine(string(ph.Risk))
	}
	if ph.Expected.Text != "" {
		head += " · expected " + inert.OneLine(ph.Expected.Text)
	}
	room := w - len("ITEMS") - 2 - len(legend)
	if room < 2 {
		return s.FocusTitle.Render("ITEMS") + s.Section.Render(cut(head, w-len("ITEMS")))
	}
	head = fit(cut(head, room), room)
	return s.FocusTitle.Render("ITEMS") + s.Section.Render(head) + "  " + s.Muted.Render(legend)
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
func (m Model) itemDuration(is fold.ItemState) time.Duration {
	switch {
	case is.Started.IsZero():
		return -1
	case is.Status == fold.ItemRunning || is.Status == fold.ItemAwaiting:
		return m.clock.Sub(is.Started)
	case !is.Ended.IsZero():
		return is.Ended.Sub(is.Started)
	}
	return -1
}
