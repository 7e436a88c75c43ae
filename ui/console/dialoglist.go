package console

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"runway/ui/keys"
)

// moved answers the keys that move in a dialog's list of n entries: ↑/k,
// ↓/j, g/home to the first and G/end to the last. It returns the new index
// and whether msg was one of them. The list keys work only where the dialog
// enabled ↑ and ↓, so a text dialog keeps its j and g as text.
func moved(msg tea.KeyMsg, k keys.DialogKeys, sel, n int) (int, bool) {
	if !k.Up.Enabled() || n <= 0 {
		return sel, false
	}
	switch {
	case key.Matches(msg, k.Up):
		return max(sel-1, 0), true
	case key.Matches(msg, k.Down):
		return min(sel+1, n-1), true
	case key.Matches(msg, k.Top):
		return 0, true
	case key.Matches(msg, k.Bottom):
		return n - 1, true
	}
	return sel, false
}

// moves is moved for a switch: it moves *sel and reports whether msg moved it.
func moves(msg tea.KeyMsg, k keys.DialogKeys, sel *int, n int) bool {
	next, ok := moved(msg, k, *sel, n)
	*sel = next
	return ok
}
