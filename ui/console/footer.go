package console

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"

	"runway/ui/inert"
)

// statusLine is the outcome of the last action, or what mode the console is
// in. An outcome can carry an error's text, which is shown inert.
func (m Model) statusLine() string {
	s := m.sty
	switch {
	case m.status.fail:
		return s.StatusFail.Render(cut(inert.Line(m.status.text), m.width))
	case m.status.text != "":
		return s.StatusOK.Render(cut(inert.Line(m.status.text), m.width))
	case m.drv == nil:
		return s.Muted.Render(cut("watching: read-only, actions are taken by the operator", m.width))
	}
	return m.driftLine() // forecast.go
}

// footer is the help line generated from the keys that apply now.
func (m Model) footer() string {
	switch {
	case m.find.typing:
		return m.filterHelp()
	case m.dialog != nil:
		return m.shortHelp(m.dialog.keys(m, m.dkeys).ShortHelp(), nil)
	case m.full:
		return m.shortHelp(nil, []key.Binding{m.keys.Help, m.keys.Quit})
	}
	return m.shortHelp(m.keys.ShortHelp(), []key.Binding{m.keys.Help, m.keys.Quit})
}

// shortHelp lays out enabled bindings on one line of the terminal's width:
// as many of the first ones as fit, then an ellipsis, and always the last
// ones (help and quit), so the way out is never cut off.
func (m Model) shortHelp(first, last []key.Binding) string {
	s := m.sty.Help
	sep := s.ShortSeparator.Render(" · ")
	item := func(b key.Binding) string {
		return s.ShortKey.Render(b.Help().Key) + " " + s.ShortDesc.Render(b.Help().Desc)
	}
	var tail []string
	for _, b := range last {
		if b.Enabled() {
			tail = append(tail, item(b))
		}
	}
	tailText := strings.Join(tail, sep)
	sepW := ansi.StringWidth(sep)
	room := m.width - ansi.StringWidth(tailText)
	if tailText != "" {
		room -= sepW
	}
	var items []string
	for _, b := range first {
		if b.Enabled() && !isIn(b, last) {
			items = append(items, item(b))
		}
	}
	var head []string
	used := 0
	for i, it := range items {
		w := ansi.StringWidth(it)
		if used > 0 {
			w += sepW
		}
		reserve := sepW + 1 // an ellipsis, unless this is the last item
		if i == len(items)-1 {
			reserve = 0
		}
		if used+w+reserve > room {
			if used+sepW+1 <= room || used == 0 {
				head = append(head, s.Ellipsis.Render("…"))
			}
			break
		}
		head = append(head, it)
		used += w
	}
	line := strings.Join(head, sep)
	if line != "" && tailText != "" {
		line += sep
	}
	return cut(line+tailText, m.width)
}

// isIn reports whether b is one of list (same keys).
func isIn(b key.Binding, list []key.Binding) bool {
	for _, l := range list {
		if strings.Join(l.Keys(), " ") == strings.Join(b.Keys(), " ") {
			return true
		}
	}
	return false
}
