package replay

import "github.com/charmbracelet/bubbles/key"

// KeyMap is every key a replay answers to. The console's keys for looking
// around (item, phase, scroll) are passed on to it; those that would act on
// a session do nothing in a replay and are not listed.
type KeyMap struct {
	Play, Step, Back, Next, Prev, Filter key.Binding
	Faster, Slower, Start, End           key.Binding
	Seek, Tenths, Text                   key.Binding
	Item, Phase, Scroll                  key.Binding // the console's, for the help screen
	Help, Quit                           key.Binding

	// In the runbook text.
	Line, Page, Close key.Binding
}

// Keys returns the replay's key map.
func Keys() KeyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return KeyMap{
		Play:   b("space", "play", " "),
		Step:   b("→", "step", "right", "."),
		Back:   b("←", "back", "left", ","),
		Next:   b("]", "next mark", "]", "shift+right"),
		Prev:   b("[", "prev mark", "[", "shift+left"),
		Filter: b("m", "marks: all", "m"),
		Faster: b("+", "faster", "+", "="),
		Slower: b("-", "slower", "-"),
		Start:  b("g", "start", "g", "home"),
		End:    b("G", "end", "G", "end"),
		Seek:   b("t", "seek", "t", ":"),
		Tenths: b("0-9", "seek 0-90%", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
		Text:   b("v", "runbook", "v"),
		Item:   b("↑/↓", "item", "up", "down", "k", "j"),
		Phase:  b("h/l", "phase", "h", "l"),
		Scroll: b("pgup/pgdn", "scroll detail", "pgup", "pgdown", "ctrl+u", "ctrl+d"),
		Help:   b("?", "help", "?"),
		Quit:   b("q", "quit", "q", "ctrl+c"),

		Line:  b("↑/↓", "scroll", "up", "down", "k", "j"),
		Page:  b("pgup/pgdn", "page", "pgup", "pgdown", "ctrl+u", "ctrl+d", " "),
		Close: b("v/esc", "back to the session", "v", "esc"),
	}
}

// ShortHelp is the footer, most used first; help and quit are always shown.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Play, k.Step, k.Back, k.Prev, k.Next, k.Faster, k.Slower, k.Seek, k.Text, k.Filter, k.Start, k.End}
}

// FullHelp is the help screen, one column per concern.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Play, k.Faster, k.Slower, k.Step, k.Back},
		{k.Next, k.Prev, k.Filter, k.Start, k.End, k.Seek, k.Tenths},
		{k.Item, k.Phase, k.Scroll, k.Text, k.Help, k.Quit},
	}
}
