package console

import (
	"strings"
	"time"

	"runway/runbook/fold"

	"runway/runbook/text"
	"runway/ui/inert"

	"github.com/charmbracelet/x/ansi"
)

// headerLines are the runbook title and session state, then who, since when
// and where the audit log is.
func (m Model) headerLines() []string {
	s := m.sty
	icon, word, sty := m.stateMark()
	state := "state: " + icon + " " + word
	if mode := m.mode(); mode != "" {
		state += " (" + mode + ")"
	}
	title := m.rb.Title
	if title == "" {
		title = m.rb.Name
	}
	w := m.width - ansi.StringWidth(state) - 1
	first := s.Title.Render(cut("runway · "+inert.OneLine(title), w))
	first = right(first, sty.Render(state), m.width)

	var parts []string
	if m.st.Session != "" {
		parts = append(parts, "session "+inert.OneLine(m.st.Session))
	}
	op := m.opts.Operator
	if op == "" {
		op = m.st.Operator
	}
	if op != "" {
		who := "operator " + inert.OneLine(op)
		var others []string
		for _, a := range m.st.Actors {
			if a != op {
				others = append(others, inert.OneLine(a))
			}
		}
		if len(others) > 0 {
			who += " (also " + strings.Join(others, ", ") + ")"
		}
		parts = append(parts, who)
	}
	parts = append(parts, "elapsed "+text.Clock(m.elapsed()))
	if path := inert.OneLine(m.opts.AuditPath); path != "" {
		// A long path loses its start: the file name is what tells logs apart.
		room := m.width - ansi.StringWidth(strings.Join(parts, " · ")+" · audit ")
		if n := ansi.StringWidth(path); n > room && room > 8 {
			path = "…" + ansi.TruncateLeft(path, n-room+1, "")
		}
		parts = append(parts, "audit "+path)
	}
	second := s.Muted.Render(cut(strings.Join(parts, " · "), m.width))
	if plan, ok := m.planLine(); ok { // forecast.go
		return []string{first, second, plan}
	}
	return []string{first, second}
}

// mode is how the console is attached, for the header.
func (m Model) mode() string {
	if m.opts.Mode != "" || m.drv != nil {
		return m.opts.Mode
	}
	return "watching, read-only"
}

// elapsed is the time since the session opened, frozen once it has ended.
func (m Model) elapsed() time.Duration {
	if m.st.Started.IsZero() {
		return 0
	}
	end := m.clock
	if m.st.Status == fold.StatusPassed || m.st.Status == fold.StatusClosed {
		end = m.st.Last
	}
	return end.Sub(m.st.Started)
}
