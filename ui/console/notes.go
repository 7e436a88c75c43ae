package console

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"runway/runbook/fold"
	"runway/ui/inert"
	"runway/ui/keys"
)

// notesDialog lists the session's notes, newest first, each with its author
// and time; top is the first note shown (0 is the newest).
type notesDialog struct{ top int }

func (d notesDialog) update(m Model, msg tea.KeyMsg) (Model, tea.Cmd) {
	k := d.keys(m, m.dkeys)
	switch {
	case key.Matches(msg, k.Cancel), msg.String() == "N", msg.String() == "q":
		m.dialog = nil
	case moves(msg, k, &d.top, len(m.st.Notes)):
		m.dialog = d
	case key.Matches(msg, k.No):
		m.dialog = m.noteDialog(d)
	}
	return m, nil
}

func (d notesDialog) view(m Model, w, h int) []string {
	s := m.sty
	notes := m.st.Notes
	title := fmt.Sprintf("Notes · %d in the audit log, newest first", len(notes))
	if len(notes) == 0 {
		line := "No notes yet."
		if m.keys.Note.Enabled() {
			line += " Press n to add one."
		}
		return m.frame("Notes", []string{s.Muted.Render(line)}, w, h)
	}
	room := -1 // content rows the box has room for; -1 when it takes what it needs
	if h > 0 {
		room = h - 4 // border, title and the blank line under it
	}
	var rows []string
	if d.top > 0 {
		rows = append(rows, s.Muted.Render(fmt.Sprintf("↑ %d newer", d.top)))
	}
	for i := len(notes) - 1 - d.top; i >= 0; i-- {
		lines := m.noteEntry(notes[i], w-4)
		if room >= 0 && len(rows)+len(lines) > room-1 && i > 0 {
			rows = append(rows, s.Muted.Render(fmt.Sprintf("↓ %d older", i+1)))
			break
		}
		rows = append(rows, lines...)
	}
	return m.frame(title, rows, w, h)
}

// noteEntry is a note's time and author, then its text wrapped under them.
func (m Model) noteEntry(n fold.NoteRecord, w int) []string {
	head := m.sty.Title.Render(m.noteTime(n.At)) + " " + inert.OneLine(n.Actor)
	return append([]string{head}, wrapIndent("  ", lines(n.Text), w)...)
}

// noteTime is when a note was written: the time of day, with the date when
// it was not today.
func (m Model) noteTime(at time.Time) string {
	if y, mo, d := at.Local().Date(); y == m.clock.Local().Year() && mo == m.clock.Local().Month() && d == m.clock.Local().Day() {
		return clockOf(at, "15:04:05")
	}
	return clockOf(at, "Jan 2 15:04")
}

func (d notesDialog) keys(m Model, k keys.DialogKeys) keys.DialogKeys {
	only(&k, &k.Cancel)
	many := len(m.st.Notes) > 1
	k.Up.SetEnabled(many)
	k.Down.SetEnabled(many)
	k.Up.SetHelp("↑/k", "newer")
	k.Down.SetHelp("↓/j", "older")
	k.No.SetEnabled(m.keys.Note.Enabled())
	k.No.SetHelp("n", "add a note")
	k.Cancel.SetHelp("esc", "close")
	return k
}

// latestNote is the row under the detail pane that keeps the newest note in
// sight: its time, author and text on one line, and how to see them all.
func (m Model) latestNote() string {
	s := m.sty
	n := m.st.Notes[len(m.st.Notes)-1]
	hint := fmt.Sprintf("N notes (%d)", len(m.st.Notes))
	head := s.Muted.Render("✎ "+m.noteTime(n.At)+" "+inert.OneLine(n.Actor)+": ") + inert.OneLine(n.Text)
	w := m.width - len(hint) - 2
	return right(cut(head, w), s.Muted.Render(hint), m.width)
}
