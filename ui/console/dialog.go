package console

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"runway/ui/keys"

	"runway/ui/inert"
)

// dialog is a box that takes the body of the screen and the keyboard until it
// closes. update returns the model with the dialog replaced, or removed.
type dialog interface {
	update(m Model, msg tea.KeyMsg) (Model, tea.Cmd)
	view(m Model, w, h int) []string
	keys(m Model, k keys.DialogKeys) keys.DialogKeys
}

// frame draws a dialog's box: a title and content lines, wrapped to the
// width, in exactly h rows, or as many as they need when h is 0. Content
// lines may carry the console's styles; anything else that could drive the
// terminal is made inert here, as a guard behind each dialog's own care.
func (m Model) frame(title string, content []string, w, h int) []string {
	return m.frameFit(title, content, w, h, false)
}

// frameFit is frame; with end set, lines that do not fit are dropped from
// the middle instead of the end (keepEnd).
func (m Model) frameFit(title string, content []string, w, h int, end bool) []string {
	inner := max(w-4, 1) // border and padding on each side
	body := []string{m.sty.DialogTitle.Render(cut(inert.Line(title), inner)), ""}
	for _, line := range content {
		body = append(body, wrap(inert.Styled(line), inner)...)
	}
	if h > 0 && end {
		body = keepEnd(body, max(h-2, 1))
	}
	if h > 0 {
		body = pad(body, max(h-2, 1))
	}
	box := m.sty.Dialog.Width(w - 2).Render(strings.Join(body, "\n"))
	return strings.Split(box, "\n")
}

// keepEnd fits a text dialog's lines to n by dropping from the middle: its
// title stays, and so does its end (the field being typed in and its
// error), which a short terminal must never hide; "…" marks the cut.
func keepEnd(body []string, n int) []string {
	if len(body) <= n || n < 3 {
		return body
	}
	tail := body[len(body)-(n-2):]
	return append([]string{body[0], "…"}, tail...)
}

// only enables the given dialog keys (pointers into k) and disables the rest.
func only(k *keys.DialogKeys, on ...*key.Binding) {
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.Submit, &k.Newline, &k.Switch, &k.Yes, &k.No, &k.Toggle, &k.Close, &k.Read, &k.Cancel} {
		b.SetEnabled(false)
	}
	for _, b := range on {
		b.SetEnabled(true)
	}
}

// textDialog asks for text: a reason, a note, an observation, a name, a rate.
type textDialog struct {
	title    string
	lines    []string               // what the text is about
	about    func(m Model) []string // when set, what the text is about, read at each draw
	prompt   string
	input    field
	required string                   // when set, empty text is not accepted and this says why
	check    func(text string) string // when set, a non-empty answer is a reason to refuse the text
	action   string                   // the help word for enter
	choices  []string                 // when set, tab cycles through them (a sign-off's verdict)
	choice   int
	submit   func(m Model, text, choice string) (Model, tea.Cmd)
	back     dialog // shown again once the text is sent or cancelled; nil for none
	err      string
}

func (d textDialog) update(m Model, msg tea.KeyMsg) (Model, tea.Cmd) {
	k := d.keys(m, m.dkeys)
	switch {
	case key.Matches(msg, k.Cancel):
		m.dialog = d.back
		return m, nil
	case key.Matches(msg, k.Switch):
		d.choice = (d.choice + 1) % len(d.choices)
		m.dialog = d
		return m, nil
	case key.Matches(msg, k.Submit):
		text := d.input.value()
		if text == "" && d.required != "" {
			d.err = d.required
			m.dialog = d
			return m, nil
		}
		if d.check != nil {
			if why := d.check(text); why != "" {
				d.err = why
				m.dialog = d
				return m, nil
			}
		}
		choice := ""
		if len(d.choices) > 0 {
			choice = d.choices[d.choice]
		}
		m.dialog = d.back
		return d.submit(m, text, choice)
	case msg.Type == tea.KeyTab || msg.Type == tea.KeyShiftTab || msg.Type == tea.KeyEnter && !d.input.multi:
		return m, nil // a tab or an alt+enter is not text
	}
	d.input, d.err = d.input.update(msg), ""
	m.dialog = d
	return m, nil
}

func (d textDialog) view(m Model, w, h int) []string {
	content := append([]string(nil), d.lines...)
	if d.about != nil {
		content = d.about(m)
	}
	if len(d.choices) > 0 {
		row := "Verdict:"
		for i, c := range d.choices {
			if i == d.choice {
				row += " [" + m.sty.Title.Render(c) + "]"
			} else {
				row += "  " + m.sty.Muted.Render(c) + " "
			}
		}
		content = append(content, "", row+m.sty.Muted.Render("   tab switches"))
	}
	if len(content) > 0 {
		content = append(content, "")
	}
	content = append(content, d.prompt)
	content = append(content, strings.Split(d.input.view(), "\n")...)
	if d.err != "" {
		content = append(content, m.sty.Fail.Render("✗ "+d.err))
	}
	return m.frameFit(d.title, content, w, h, true)
}

func (d textDialog) keys(_ Model, k keys.DialogKeys) keys.DialogKeys {
	only(&k, &k.Submit, &k.Cancel)
	k.Submit.SetHelp("enter", d.action)
	k.Newline.SetEnabled(d.input.multi)
	k.Switch.SetEnabled(len(d.choices) > 0)
	k.Switch.SetHelp("tab", "pass/fail")
	return k
}

// resized fits the text field to a new terminal size.
func (d textDialog) resized(w, h int) textDialog {
	d.input = d.input.resized(w, h)
	return d
}

// confirmDialog asks a yes/no question; no may be an action of its own
// (reject an override) or just cancel.
type confirmDialog struct {
	title   string
	lines   []string
	yes, no string // help words for y and n
	onYes   func(m Model) (Model, tea.Cmd)
	onNo    func(m Model) (Model, tea.Cmd) // nil: n cancels
}

func (d confirmDialog) update(m Model, msg tea.KeyMsg) (Model, tea.Cmd) {
	k := d.keys(m, m.dkeys)
	switch {
	case key.Matches(msg, k.Yes):
		m.dialog = nil
		return d.onYes(m)
	case key.Matches(msg, k.No) && d.onNo != nil:
		m.dialog = nil
		return d.onNo(m)
	case key.Matches(msg, k.No), key.Matches(msg, k.Cancel):
		m.dialog = nil
	}
	return m, nil
}

func (d confirmDialog) view(m Model, w, h int) []string {
	return m.frame(d.title, d.lines, w, h)
}

func (d confirmDialog) keys(_ Model, k keys.DialogKeys) keys.DialogKeys {
	only(&k, &k.Yes, &k.No, &k.Cancel)
	k.Yes.SetHelp("y", d.yes)
	k.No.SetHelp("n", d.no)
	return k
}
