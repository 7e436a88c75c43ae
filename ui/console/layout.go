package console

// Minimum terminal size; below it the console says so instead of drawing.
const (
	minWidth  = 80
	minHeight = 24
)

// layout is the size of each region for the current terminal and state.
type layout struct {
	body       int  // rows between the header and the status line
	banner     int  // rows of banner and notices, under the body
	listRows   int  // rows of phases and items (their title line excluded)
	detailRows int  // rows of the detail pane (its title line excluded)
	note       bool // the latest note has a row under the detail pane
	leftW      int  // width of the phases pane
	rightW     int  // width of the items pane
	phases     phaseFit
}

func (m Model) tooSmall() bool { return m.width < minWidth || m.height < minHeight }

func (m Model) layout() layout {
	l := layout{banner: m.bannerRows()}
	// header (2, or 3 with the plan) + rule (1) + status line (1) + footer (1)
	l.body = max(m.height-len(m.headerLines())-3-l.banner, 0)
	rows := len(m.rb.Phases)
	if m.phase >= 0 && m.phase < len(m.rb.Phases) {
		rows = max(rows, len(m.rb.Phases[m.phase].Items))
	}
	list := min(max(rows+1, 4), l.body/2)
	l.listRows = max(list-1, 1)
	l.detailRows = max(l.body-list-2, 0) // a rule and the detail title
	if len(m.st.Notes) > 0 && l.detailRows > 1 {
		l.note = true
		l.detailRows--
	}
	l.phases, l.leftW = m.phaseFitFor(m.width)
	l.rightW = max(m.width-l.leftW-3, 0)
	return l
}
