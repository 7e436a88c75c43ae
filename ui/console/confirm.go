package console

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"runway/ui/keys"
)

// riskyConfirm asks before something that cannot be taken back: running a
// phase or an item that acts, rolling back, overriding, closing an incident
// with steps left, quitting while stopped or while work runs. No is chosen
// until the lead moves to Yes with tab or an arrow key, so letters typed
// ahead never answer it: they stay in the dialog. With typeID set (a high
// risk phase or item) the lead types that id instead, as GitHub asks for a
// repository's name before deleting it.
type riskyConfirm struct {
	title     string
	lines     []string
	yes       string // what Yes does, as a verb phrase: "run phase pilot"
	no        string // what No does: "cancel" when empty
	typeID    string // when set, the id to type to confirm
	input     field
	onYes     func(m Model) (Model, tea.Cmd)
	back      dialog // shown on No or esc; nil for none
	yesChosen bool   // Yes is chosen
	err       string
}

// risky builds a confirmation; typeID "" asks for a choice, else for the id.
func (m Model) risky(title string, lines []string, yes, typeID string, onYes func(m Model) (Model, tea.Cmd)) riskyConfirm {
	d := riskyConfirm{title: title, lines: lines, yes: yes, typeID: typeID, onYes: onYes}
	if typeID != "" {
		d.input = m.lineField(len(typeID)+20, "")
	}
	return d
}

func (d riskyConfirm) update(m Model, msg tea.KeyMsg) (Model, tea.Cmd) {
	switch {
	case msg.Type == tea.KeyEsc:
		m.dialog = d.back
		m.status = status{text: "not done: " + d.yes + " cancelled"}
		return m, nil
	case msg.Type == tea.KeyEnter && !msg.Paste:
		return d.submit(m)
	case d.typeID != "":
		if msg.Type == tea.KeyTab || msg.Type == tea.KeyShiftTab {
			return m, nil
		}
		d.input, d.err = d.input.update(msg), ""
	case msg.Type == tea.KeyTab || msg.Type == tea.KeyShiftTab || msg.Type == tea.KeyUp ||
		msg.Type == tea.KeyDown || msg.Type == tea.KeyLeft || msg.Type == tea.KeyRight:
		d.yesChosen = !d.yesChosen
	default:
		// Any other key, typed or pasted, stays here and does nothing: a
		// sentence typed ahead must not answer a question it never read.
		d.err = "choose with tab or the arrow keys, then enter; esc cancels"
	}
	m.dialog = d
	return m, nil
}

// submit answers: the chosen entry, or the typed id.
func (d riskyConfirm) submit(m Model) (Model, tea.Cmd) {
	if d.typeID != "" {
		if got := d.input.value(); got != d.typeID {
			d.err = fmt.Sprintf("type %s exactly to confirm; esc cancels", d.typeID)
			if got == "" {
				d.err = "type " + d.typeID + " to confirm; esc cancels"
			}
			m.dialog = d
			return m, nil
		}
	} else if !d.yesChosen {
		m.dialog = d.back
		m.status = status{text: "not done: " + d.yes + " cancelled"}
		return m, nil
	}
	m.dialog = nil
	return d.onYes(m)
}

func (d riskyConfirm) view(m Model, w, h int) []string {
	var content []string
	if d.typeID != "" {
		content = append(content, fmt.Sprintf("This is high risk. Type %s to %s:", d.typeID, d.yes))
		content = append(content, d.input.view())
	} else {
		no := d.no
		if no == "" {
			no = "cancel"
		}
		content = append(content, marked(!d.yesChosen, "No, "+no), marked(d.yesChosen, "Yes, "+d.yes))
	}
	if d.err != "" {
		content = append(content, m.sty.Fail.Render("✗ "+d.err))
	}
	// The question and its answer always show; a long list of items gives
	// way, saying how many rows it hides.
	inner := max(w-4, 1)
	room := h - 4 - rows(content, inner) - 1 // border, title and its blank line; the blank before the answer
	if h <= 0 {
		room = rows(d.lines, inner)
	}
	return m.frame(d.title, append(append(fitRows(d.lines, inner, room), ""), content...), w, h)
}

// rows is how many screen rows lines take wrapped to w.
func rows(lines []string, w int) int {
	n := 0
	for _, l := range lines {
		n += max(len(wrap(l, w)), 1)
	}
	return n
}

// fitRows keeps the lines that fit in room rows, the last one saying how
// many were left out.
func fitRows(lines []string, w, room int) []string {
	if rows(lines, w) <= room {
		return lines
	}
	var out []string
	for i, l := range lines {
		if rows(out, w)+max(len(wrap(l, w)), 1)+1 > room {
			return append(out, fmt.Sprintf("  … %d more lines not shown", len(lines)-i))
		}
		out = append(out, l)
	}
	return out
}

func (d riskyConfirm) keys(_ Model, k keys.DialogKeys) keys.DialogKeys {
	only(&k, &k.Submit, &k.Cancel)
	if d.typeID != "" {
		k.Submit.SetHelp("enter", d.yes)
		return k
	}
	k.Switch.SetEnabled(true)
	k.Switch.SetHelp("tab/↑↓", "choose")
	if d.yesChosen {
		k.Submit.SetHelp("enter", d.yes)
	} else {
		k.Submit.SetHelp("enter", "no")
	}
	return k
}
