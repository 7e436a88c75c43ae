package console

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"runway/ui/inert"
)

// finder is the items filter that / opens: while typing, keys are its text;
// enter keeps it, esc clears it. The items pane then lists only the items
// whose id, title, kind or state holds every word of the text ("fail",
// "copy", "critical"), in every phase looked at.
type finder struct {
	query  string
	typing bool
}

// filterLimit bounds the filter's text.
const filterLimit = 60

// findKey handles a key while the filter's text is typed. Every key stays in
// the filter: typing ahead never becomes an action.
func (m Model) findKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch msg.Type {
	case tea.KeyEsc, tea.KeyCtrlC:
		m.find = finder{}
	case tea.KeyEnter:
		m.find.typing = false
		m.find.query = strings.TrimSpace(m.find.query)
	case tea.KeyBackspace:
		if r := []rune(m.find.query); len(r) > 0 {
			m.find.query = string(r[:len(r)-1])
		}
	case tea.KeyUp, tea.KeyDown:
		m.move(0, map[bool]int{true: -1, false: 1}[msg.Type == tea.KeyUp])
		return m, nil
	case tea.KeyRunes, tea.KeySpace:
		text := strings.Map(func(r rune) rune {
			if r < ' ' || r == 0x7f {
				return -1 // a control character is no part of a filter
			}
			return r
		}, string(msg.Runes))
		if msg.Type == tea.KeySpace {
			text = " "
		}
		if len([]rune(m.find.query+text)) <= filterLimit {
			m.find.query += text
		}
	}
	m.item, m.itemTop, m.scroll = m.firstShownFrom(m.item), 0, 0
	m.clamp()
	m.updateKeys()
	return m, nil
}

// matches reports whether item i of phase p holds every word of the filter.
func (m Model) matches(p, i int) bool {
	words := strings.Fields(strings.ToLower(m.find.query))
	if len(words) == 0 {
		return true
	}
	it := m.rb.Phases[p].Items[i]
	_, word, _ := itemMark(m.sty, m.itemState(p, i).Status)
	hay := strings.ToLower(strings.Join([]string{it.ID, it.Title, it.Kind(), word}, " "))
	if it.Critical {
		hay += " critical"
	}
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// shown are the indexes of the looked-at phase's items that the filter lets
// through: all of them when there is no filter.
func (m Model) shown() []int {
	if m.phase < 0 || m.phase >= len(m.rb.Phases) {
		return nil
	}
	n := len(m.rb.Phases[m.phase].Items)
	out := make([]int, 0, n)
	for i := range n {
		if m.matches(m.phase, i) {
			out = append(out, i)
		}
	}
	return out
}

// shownAt is the row of item i among the shown items: the first shown at or
// after it when it is hidden, the last shown when none is.
func shownAt(shown []int, i int) int {
	for pos, j := range shown {
		if j >= i {
			return pos
		}
	}
	return max(len(shown)-1, 0)
}

// firstShownFrom is item i, or the nearest shown item after it (before it
// when none follows); i itself when nothing is shown.
func (m Model) firstShownFrom(i int) int {
	shown := m.shown()
	if len(shown) == 0 {
		return i
	}
	return shown[shownAt(shown, i)]
}

// moveShown moves the cursor d rows among the shown items, or to the first
// (d = -1 << 30) or last (d = 1 << 30) one.
func (m *Model) moveShown(d int) {
	shown := m.shown()
	if len(shown) == 0 {
		return
	}
	pos := min(max(shownAt(shown, m.item)+d, 0), len(shown)-1)
	if shown[shownAt(shown, m.item)] != m.item && d > 0 {
		pos = min(max(shownAt(shown, m.item)+d-1, 0), len(shown)-1) // a hidden item stood before the next shown one
	}
	m.item = shown[pos]
}

// filterTag is the items pane title's mention of the filter: its text, how
// many items pass, and a cursor while it is typed.
func (m Model) filterTag() string {
	if m.find.query == "" && !m.find.typing {
		return ""
	}
	n := 0
	if m.phase >= 0 && m.phase < len(m.rb.Phases) {
		n = len(m.rb.Phases[m.phase].Items)
	}
	cursor := ""
	if m.find.typing {
		cursor = "▏"
	}
	return fmt.Sprintf(" /%s%s (%d of %d)", inert.OneLine(m.find.query), cursor, len(m.shown()), n)
}

// filterHelp is the footer while the filter's text is typed.
func (m Model) filterHelp() string {
	b := func(k, d string) key.Binding { return key.NewBinding(key.WithKeys(k), key.WithHelp(k, d)) }
	return m.shortHelp([]key.Binding{b("↑/↓", "move"), b("enter", "keep filter"), b("esc", "clear filter")}, nil)
}
