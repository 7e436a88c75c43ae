package console

import (
	"strings"

	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// field is a dialog's text: one line (a reason, a name, a rate) or several
// (a sign-off's observation).
type field struct {
	multi bool
	line  textinput.Model
	area  textarea.Model
}

// lineField is a one-line field holding at most limit characters, filled with value.
func (m Model) lineField(limit int, value string) field {
	in := m.sty.TextInput()
	in.CharLimit = limit
	// ctrl+v would read the clipboard of the host runway runs on, which over
	// SSH is not the viewer's; the terminal's own paste still works.
	in.KeyMap.Paste.SetEnabled(false)
	in.Focus()
	in.SetValue(value)
	return field{line: in}.resized(m.width, m.height)
}

// areaField is a multi-line field holding at most limit characters. Enter
// stays the dialog's: a new line is the dialog keys' Newline.
func (m Model) areaField(limit int) field {
	a := m.sty.TextArea()
	a.CharLimit = limit
	a.MaxHeight = 50 // lines
	a.KeyMap.Paste.SetEnabled(false)
	a.KeyMap.InsertNewline.SetKeys(m.dkeys.Newline.Keys()...)
	a.Focus()
	return field{multi: true, area: a}.resized(m.width, m.height)
}

// resized fits the field to a dialog on a terminal of w×h: the dialog's
// border and padding take 4 columns, a one-line field's cursor one more.
func (f field) resized(w, h int) field {
	inner := max(w-4, 8)
	if f.multi {
		f.area.SetWidth(inner)
		rows := 3
		if h >= 30 {
			rows = 5
		}
		f.area.SetHeight(rows)
		return f.scrolled()
	}
	f.line.Width = inner - len(f.line.Prompt) - 1
	f.line.SetCursor(f.line.Position()) // scrolls the text to the cursor at the new width
	return f
}

// value is the text typed, without surrounding blanks.
func (f field) value() string {
	if f.multi {
		return strings.TrimSpace(f.area.Value())
	}
	return strings.TrimSpace(f.line.Value())
}

func (f field) update(msg tea.KeyMsg) field {
	// The cursor never blinks, so the fields return no command worth running.
	if f.multi {
		f.area, _ = f.area.Update(msg)
		return f.scrolled()
	}
	f.line, _ = f.line.Update(msg)
	return f
}

// scrolled keeps the cursor's line in view. The text area scrolls by the
// lines it last drew, so after a paste of several lines it is drawn once and
// asked again.
func (f field) scrolled() field {
	_ = f.area.View()
	f.area, _ = f.area.Update(nil)
	return f
}

func (f field) view() string {
	if f.multi {
		return f.area.View()
	}
	return f.line.View()
}
