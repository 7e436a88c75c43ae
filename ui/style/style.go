// Package style holds the console's look: one Styles value built from a
// *lipgloss.Renderer, so that each terminal (local, or an SSH viewer with its
// own renderer) gets colours it can show, and NO_COLOR gets none at all.
package style

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Colours are the 16 ANSI colours by number: the terminal's own theme decides
// the shade, so TERM=xterm and light or dark backgrounds stay legible.
const (
	red     = lipgloss.Color("1")
	green   = lipgloss.Color("2")
	yellow  = lipgloss.Color("3")
	blue    = lipgloss.Color("4")
	magenta = lipgloss.Color("5")
	cyan    = lipgloss.Color("6")
	grey    = lipgloss.Color("8")
	white   = lipgloss.Color("15")
)

// Styles are the console's semantic styles. A state is never shown by colour
// alone: every styled word also carries an icon or a word of its own.
type Styles struct {
	Renderer *lipgloss.Renderer
	Color    bool // false under NO_COLOR or on a terminal without colours

	Title   lipgloss.Style // the runbook's title in the header
	Section lipgloss.Style // pane titles: PHASES, ITEMS, …
	Muted   lipgloss.Style // secondary text: ids, durations, hints
	Text    lipgloss.Style // plain text
	Key     lipgloss.Style // a key named in running text

	Selected lipgloss.Style // the selected row of a picker list
	// Focus marks the selected row of a pane over its cells' own styles
	// (bold and underlined), so a focused failed item keeps its red.
	Focus lipgloss.Style
	// FocusTitle is the title of the pane the cursor keys move in.
	FocusTitle lipgloss.Style
	Rule       lipgloss.Style // separators between panes

	OK      lipgloss.Style // passed
	Fail    lipgloss.Style // failed, halted, refused
	Warn    lipgloss.Style // warnings: overridden, not converging, pending override
	Running lipgloss.Style // running, awaiting
	Pending lipgloss.Style // pending, locked

	Banner      lipgloss.Style // the stop-rule banner
	Notice      lipgloss.Style // the pending-override and rollback notices
	Dialog      lipgloss.Style // a dialog's frame
	DialogTitle lipgloss.Style

	StatusOK   lipgloss.Style // the status line after an action was recorded
	StatusFail lipgloss.Style // the status line after a refusal

	// BarFull and BarEmpty colour a progress bar's done part and the rest;
	// the bar's own characters (█ and ░) tell them apart without colour.
	BarFull, BarEmpty lipgloss.Color

	Cursor lipgloss.Style // the cursor of a text field

	Help help.Styles
}

// New builds the styles for one terminal.
func New(r *lipgloss.Renderer) Styles {
	ns := r.NewStyle
	s := Styles{
		Renderer: r,
		Color:    r.ColorProfile() != termenv.Ascii,

		Title:   ns().Bold(true),
		Section: ns().Bold(true).Foreground(blue),
		Muted:   ns().Foreground(grey),
		Text:    ns(),
		Key:     ns().Bold(true).Foreground(magenta),

		Selected:   ns().Reverse(true),
		Focus:      ns().Bold(true).Underline(true),
		FocusTitle: ns().Bold(true).Reverse(true).Foreground(blue),
		Rule:       ns().Foreground(grey),

		OK:      ns().Foreground(green),
		Fail:    ns().Foreground(red).Bold(true),
		Warn:    ns().Foreground(yellow),
		Running: ns().Foreground(cyan),
		Pending: ns().Foreground(grey),

		Banner:      ns().Background(red).Foreground(white).Bold(true),
		Notice:      ns().Foreground(yellow).Bold(true),
		Dialog:      ns().Border(lipgloss.RoundedBorder()).BorderForeground(blue).Padding(0, 1),
		DialogTitle: ns().Bold(true).Foreground(blue),

		StatusOK:   ns().Foreground(green),
		StatusFail: ns().Foreground(red).Bold(true),

		BarFull:  blue,
		BarEmpty: grey,

		Cursor: ns().Reverse(true),
	}
	if !s.Color {
		// Reverse video is not drawn without colour: the cursor becomes a glyph.
		s.Cursor = ns().Transform(plainCursor)
	}
	s.Help = help.Styles{
		Ellipsis:       s.Muted,
		ShortKey:       s.Key,
		ShortDesc:      s.Muted,
		ShortSeparator: s.Muted,
		FullKey:        s.Key,
		FullDesc:       s.Muted,
		FullSeparator:  s.Muted,
	}
	return s
}

// plainCursor draws a text field's cursor where reverse video is not drawn:
// a block at the end of the text, the character underlined inside it. Both
// keep the cell's width, so the field lays out the same as in colour.
func plainCursor(char string) string {
	if char == " " || char == "" {
		return "█"
	}
	return char + "\u0332" // combining low line
}
