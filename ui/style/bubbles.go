package style

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/progress"
	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/bubbles/textinput"
)

// The bubbles below are drawn with these styles and this renderer's colour
// profile, never with lipgloss' default renderer: an SSH viewer gets its own
// colours, and NO_COLOR none at all.

// HelpModel returns a help view drawn with these styles.
func (s Styles) HelpModel() help.Model {
	h := help.New()
	h.Styles = s.Help
	h.ShortSeparator = " · "
	return h
}

// Progress returns a progress bar in one solid colour, without its own
// percentage (the console writes its figures next to the bar). Draw it with
// ViewAs: the bar then follows the console's own sampling and needs no
// animation frames.
func (s Styles) Progress() progress.Model {
	p := progress.New(
		progress.WithColorProfile(s.Renderer.ColorProfile()),
		progress.WithSolidFill(string(s.BarFull)),
		progress.WithFillCharacters('█', '░'),
		progress.WithoutPercentage(),
	)
	p.EmptyColor = string(s.BarEmpty)
	return p
}

// TextInput returns a one-line text field with these styles and a cursor
// that does not blink (a blinking cursor would redraw the screen on its own
// timer).
func (s Styles) TextInput() textinput.Model {
	in := textinput.New()
	in.Prompt = "> "
	in.PromptStyle = s.Muted
	in.TextStyle = s.Text
	in.PlaceholderStyle = s.Muted
	in.CompletionStyle = s.Muted
	in.Cursor.Style = s.Cursor
	in.Cursor.TextStyle = s.Text
	in.Cursor.SetMode(cursor.CursorStatic)
	return in
}

// TextArea returns a multi-line text field with these styles, no line
// numbers and a cursor that does not blink.
func (s Styles) TextArea() textarea.Model {
	a := textarea.New()
	plain := textarea.Style{
		Base: s.Text, CursorLine: s.Text, CursorLineNumber: s.Muted, EndOfBuffer: s.Muted,
		LineNumber: s.Muted, Placeholder: s.Muted, Prompt: s.Muted, Text: s.Text,
	}
	a.FocusedStyle, a.BlurredStyle = plain, plain
	a.ShowLineNumbers = false
	a.Cursor.Style = s.Cursor
	a.Cursor.TextStyle = s.Text
	a.Cursor.SetMode(cursor.CursorStatic)
	return a
}
