package style

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// TitledRule is "── text ─────" exactly w cells wide: the dashes drawn in
// the Rule style, the text in title, cut to fit. Watch and replay title the
// rule under the console's header with it.
func (s Styles) TitledRule(title lipgloss.Style, text string, w int) string {
	room := w - 5 // "── " before, " ─" at least after
	if room < 1 {
		return s.Rule.Render(strings.Repeat("─", max(w, 0)))
	}
	if ansi.StringWidth(text) > room {
		text = ansi.Truncate(text, room, "…")
	}
	fill := w - 4 - ansi.StringWidth(text)
	return s.Rule.Render("── ") + title.Render(text) + s.Rule.Render(" "+strings.Repeat("─", fill))
}
