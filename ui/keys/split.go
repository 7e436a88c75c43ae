package keys

import tea "github.com/charmbracelet/bubbletea"

// OneByOne hands msg to key one typed key at a time: a terminal may deliver
// several keys in one read ("jo", "g++"), and each is a key of its own
// unless it was pasted.
func OneByOne[M tea.Model](m M, msg tea.KeyMsg, key func(M, tea.KeyMsg) (tea.Model, tea.Cmd)) (tea.Model, tea.Cmd) {
	if msg.Type != tea.KeyRunes || len(msg.Runes) < 2 || msg.Paste {
		return key(m, msg)
	}
	var cmds []tea.Cmd
	var next tea.Model = m
	for _, r := range msg.Runes {
		var cmd tea.Cmd
		next, cmd = key(next.(M), tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt})
		cmds = append(cmds, cmd)
	}
	return next, tea.Batch(cmds...)
}
