package console

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"runway/runbook"
	"runway/ui/inert"
	"runway/ui/keys"
)

// readerDialog shows a whole text (a risk, a procedure), wrapped to the
// width and scrolled with the arrows and the page keys; esc goes back.
type readerDialog struct {
	title string
	lines []string
	top   int
	back  dialog
}

func (d readerDialog) update(m Model, msg tea.KeyMsg) (Model, tea.Cmd) {
	k := d.keys(m, m.dkeys)
	page := max(m.layout().body-6, 1)
	switch {
	case key.Matches(msg, k.Cancel):
		m.dialog = d.back
		return m, nil
	case key.Matches(msg, k.Up):
		d.top--
	case key.Matches(msg, k.Down):
		d.top++
	case msg.Type == tea.KeyPgUp:
		d.top -= page
	case msg.Type == tea.KeyPgDown:
		d.top += page
	}
	d.top = min(max(d.top, 0), m.maxTop(d.lines))
	m.dialog = d
	return m, nil
}

func (d readerDialog) view(m Model, w, h int) []string {
	return m.scrolled(d.title, d.lines, w, h, d.top, -1)
}

func (d readerDialog) keys(_ Model, k keys.DialogKeys) keys.DialogKeys {
	only(&k, &k.Up, &k.Down, &k.Cancel)
	k.Cancel.SetHelp("esc", "back")
	return k
}

// dialogRows are a dialog's content lines wrapped to the inner width of a
// dialog w wide; keep, an index into content, becomes the index of its
// first row (or stays -1).
func dialogRows(content []string, w, keep int) ([]string, int) {
	inner := max(w-4, 1) // border and padding on each side
	var rows []string
	at := -1
	for i, line := range content {
		if i == keep {
			at = len(rows)
		}
		rows = append(rows, wrap(inert.Styled(line), inner)...)
	}
	return rows, at
}

// maxTop is the last first row a reader may start at on this screen.
func (m Model) maxTop(content []string) int {
	rows, _ := dialogRows(content, m.width, -1)
	return max(len(rows)-max(m.layout().body-5, 1), 0)
}

// scrolled is a dialog whose content may be taller than its h rows (all of
// it shows when h is 0): it shows the rows from top on, moved so that
// content line keep (or none, -1) is in sight, and says on its last row how
// many rows are out of sight above and below.
func (m Model) scrolled(title string, content []string, w, h, top, keep int) []string {
	rows, at := dialogRows(content, w, keep)
	if h == 0 || len(rows) <= h-4 { // border 2, the title and a blank line 2
		return m.frame(title, rows, w, h)
	}
	room := max(h-5, 1) // …and the hint
	top = min(max(top, 0), max(len(rows)-room, 0))
	if at >= 0 && at < top {
		top = at
	}
	if at >= 0 && at >= top+room {
		top = at - room + 1
	}
	end := min(top+room, len(rows))
	shown := append([]string(nil), rows[top:end]...)
	var hint []string
	if top > 0 {
		hint = append(hint, fmt.Sprintf("↑ %d more", top))
	}
	if below := len(rows) - end; below > 0 {
		hint = append(hint, fmt.Sprintf("↓ %d more", below))
	}
	shown = append(shown, m.sty.Muted.Render(strings.Join(hint, " · ")))
	return m.frame(title, shown, w, h)
}

// riskReader is a risk in full: its level and score, description and
// mitigation, each whole.
func (m Model) riskReader(r runbook.Risk, back dialog) dialog {
	s := m.sty
	out := []string{
		fmt.Sprintf("%s · level %s · score %d = probability %s (%d) × impact %s (%d)",
			inert.OneLine(r.ID), r.Level(), r.Score(), r.Probability, r.Probability.Weight(), r.Impact, r.Impact.Weight()),
	}
	for _, f := range []struct{ label, text string }{{"Description", r.Description}, {"Mitigation", r.Mitigation}} {
		if strings.TrimSpace(f.text) == "" {
			continue
		}
		out = append(out, "", s.Muted.Render(f.label+":"))
		out = append(out, strings.Split(strings.TrimRight(lines(f.text), "\n"), "\n")...)
	}
	return readerDialog{title: "Risk · " + inert.OneLine(r.Name), lines: out, back: back}
}

// procedureReader is an emergency procedure in full, read without opening
// an incident.
func (m Model) procedureReader(p runbook.Procedure, back dialog) dialog {
	lines := []string{fmt.Sprintf("%d steps · escalate after %s · enter in the list opens it as an incident", len(p.Steps), p.EscalateAfter), ""}
	for i, step := range p.Steps {
		lines = append(lines, fmt.Sprintf("%d. %s", i+1, inert.OneLine(step)))
	}
	return readerDialog{title: "Emergency procedure · " + procTitle(p), lines: lines, back: back}
}
