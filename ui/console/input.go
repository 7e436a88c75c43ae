package console

import (
	"strings"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"runway/ui/style"
)

// lineInput is a one-line text field: typing, pasting, moving and deleting
// by character or word.
type lineInput struct {
	text  []rune
	pos   int
	limit int // most runes accepted
}

func newInput(limit int) lineInput { return lineInput{limit: limit} }

// value is the text typed, trimmed.
func (in lineInput) value() string { return strings.TrimSpace(string(in.text)) }

func (in lineInput) update(msg tea.KeyMsg) lineInput {
	switch msg.Type {
	case tea.KeyRunes, tea.KeySpace:
		in = in.insert(msg.Runes)
	case tea.KeyBackspace:
		if in.pos > 0 {
			in.text = append(in.text[:in.pos-1:in.pos-1], in.text[in.pos:]...)
			in.pos--
		}
	case tea.KeyDelete, tea.KeyCtrlD:
		if in.pos < len(in.text) {
			in.text = append(in.text[:in.pos:in.pos], in.text[in.pos+1:]...)
		}
	case tea.KeyLeft, tea.KeyCtrlB:
		in.pos = max(in.pos-1, 0)
	case tea.KeyRight, tea.KeyCtrlF:
		in.pos = min(in.pos+1, len(in.text))
	case tea.KeyHome, tea.KeyCtrlA:
		in.pos = 0
	case tea.KeyEnd, tea.KeyCtrlE:
		in.pos = len(in.text)
	case tea.KeyCtrlU:
		in.text, in.pos = append([]rune(nil), in.text[in.pos:]...), 0
	case tea.KeyCtrlK:
		in.text = in.text[:in.pos:in.pos]
	case tea.KeyCtrlW:
		start := in.pos
		for start > 0 && unicode.IsSpace(in.text[start-1]) {
			start--
		}
		for start > 0 && !unicode.IsSpace(in.text[start-1]) {
			start--
		}
		in.text = append(in.text[:start:start], in.text[in.pos:]...)
		in.pos = start
	}
	return in
}

// insert adds typed or pasted runes at the cursor; line breaks become spaces
// and other control characters are dropped.
func (in lineInput) insert(rs []rune) lineInput {
	clean := make([]rune, 0, len(rs))
	for _, r := range rs {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			clean = append(clean, ' ')
		case unicode.IsControl(r):
		default:
			clean = append(clean, r)
		}
	}
	if in.limit > 0 {
		clean = clean[:min(len(clean), max(in.limit-len(in.text), 0))]
	}
	text := make([]rune, 0, len(in.text)+len(clean))
	text = append(text, in.text[:in.pos]...)
	text = append(text, clean...)
	text = append(text, in.text[in.pos:]...)
	in.text, in.pos = text, in.pos+len(clean)
	return in
}

// view draws the field in w cells with a visible cursor, showing the part of
// the text around the cursor when it is longer than the field.
func (in lineInput) view(s style.Styles, w int) string {
	if w < 2 {
		return ""
	}
	before, at, after := string(in.text[:in.pos]), " ", ""
	if in.pos < len(in.text) {
		at, after = string(in.text[in.pos]), string(in.text[in.pos+1:])
	}
	if n := ansi.StringWidth(before); n > w-1 {
		before = "…" + ansi.TruncateLeft(before, n-(w-2), "")
	}
	cursor := s.Selected.Render(at)
	if !s.Color {
		cursor = "▏" + at // without colour, reverse video is not drawn
		if at == " " {
			cursor = "█"
		}
	}
	return cut(before+cursor+after, w)
}
