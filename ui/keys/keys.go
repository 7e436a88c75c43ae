// Package keys is the console's one key map. Every binding carries its help
// text, and bindings are switched on and off with the selection so that the
// help footer lists only what can be done now.
package keys

import "github.com/charmbracelet/bubbles/key"

// KeyMap is every key the console answers to outside a dialog.
type KeyMap struct {
	Up, Down             key.Binding // select an item
	PrevPhase, NextPhase key.Binding // look at another phase
	ScrollUp, ScrollDown key.Binding // scroll the detail pane
	Top, Bottom          key.Binding // the first or last item
	Filter               key.Binding // show only the items matching a text or a state

	Run      key.Binding // run the selected item
	RunPhase key.Binding // run the rest of the phase
	SignOff  key.Binding
	Skip     key.Binding
	Retry    key.Binding
	Override key.Binding
	Approve  key.Binding // approve or reject a pending two-person override
	Withdraw key.Binding // the requester withdraws their pending override request
	Rollback key.Binding // rollback points: set one, or roll back to one
	Pause    key.Binding // pause or resume the selected engine
	Faster   key.Binding // raise the selected engine's rate limit
	Slower   key.Binding // lower it
	Rate     key.Binding // type the selected engine's rate limit
	Note     key.Binding // add a note to the audit log

	Notes     key.Binding // the notes recorded so far
	Risks     key.Binding // the risk register
	Emergency key.Binding // the emergency procedures

	Help key.Binding
	Quit key.Binding
}

// Default returns the key map with every binding enabled.
func Default() KeyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return KeyMap{
		Up:         b("↑/k", "up", "up", "k"),
		Down:       b("↓/j", "down", "down", "j"),
		PrevPhase:  b("←/h", "prev phase", "left", "h"),
		NextPhase:  b("→/l", "next phase", "right", "l"),
		ScrollUp:   b("pgup", "scroll detail", "pgup", "ctrl+u"),
		ScrollDown: b("pgdn", "scroll detail", "pgdown", "ctrl+d"),
		Top:        b("g", "first item (home)", "g", "home"),
		Bottom:     b("G", "last item (end)", "G", "end"),
		Filter:     b("/", "filter items", "/"),

		Run:      b("enter", "run", "enter"),
		RunPhase: b("R", "run phase", "R"),
		SignOff:  b("s", "sign off", "s"),
		Skip:     b("x", "skip", "x"),
		Retry:    b("r", "retry", "r"),
		Override: b("o", "override or acknowledge", "o"),
		Approve:  b("a", "approve override", "a"),
		Withdraw: b("w", "withdraw request", "w"),
		Rollback: b("b", "rollback", "b"),
		Pause:    b("p", "pause", "p"),
		Faster:   b("+", "rate up", "+", "="),
		Slower:   b("-", "rate down", "-"),
		Rate:     b("L", "set rate", "L"),
		Note:     b("n", "note", "n"),

		Notes:     b("N", "notes", "N"),
		Risks:     b("i", "risks", "i"),
		Emergency: b("e", "emergency", "e"),

		Help: b("?", "help", "?"),
		Quit: b("q", "quit", "q", "ctrl+c"),
	}
}

// Mutating returns the bindings that change the session. An observer has
// them all disabled; the rest of the console decides case by case.
func (k *KeyMap) Mutating() []*key.Binding {
	return []*key.Binding{
		&k.Run, &k.RunPhase, &k.SignOff, &k.Skip, &k.Retry, &k.Override,
		&k.Approve, &k.Withdraw, &k.Rollback, &k.Pause, &k.Faster, &k.Slower, &k.Rate, &k.Note,
	}
}

// ShortHelp is the footer: what can be done to the selection first, then
// the session-wide keys, help and quit last.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{
		k.Run, k.SignOff, k.Retry, k.Override, k.Approve, k.Withdraw, k.Skip, k.Pause, k.Faster, k.Slower, k.Rate,
		k.RunPhase, k.Rollback, k.Note, k.Emergency, k.Risks, k.Notes, k.Help, k.Quit,
	}
}

// Group is a titled set of bindings on the `?` screen.
type Group struct {
	Title    string
	Bindings []key.Binding
}

// Groups is every binding, one group per concern, for the `?` screen.
func (k KeyMap) Groups() []Group {
	return []Group{
		{"Move", []key.Binding{k.Up, k.Down, k.Top, k.Bottom, k.PrevPhase, k.NextPhase, k.ScrollUp, k.ScrollDown, k.Filter}},
		{"Engine", []key.Binding{k.Pause, k.Faster, k.Slower, k.Rate}},
		{"Item", []key.Binding{k.Run, k.RunPhase, k.SignOff, k.Skip, k.Retry, k.Override, k.Approve, k.Withdraw}},
		{"Session", []key.Binding{k.Rollback, k.Note, k.Notes, k.Risks, k.Emergency, k.Help, k.Quit}},
	}
}

// FullHelp is every binding, one column per group.
func (k KeyMap) FullHelp() [][]key.Binding {
	var out [][]key.Binding
	for _, g := range k.Groups() {
		out = append(out, g.Bindings)
	}
	return out
}

// DialogKeys are the keys inside a dialog.
type DialogKeys struct {
	Up, Down    key.Binding // move in a list
	Top, Bottom key.Binding // the first or last entry of a list
	Submit      key.Binding // enter: confirm the text or the choice
	Newline     key.Binding // start a new line in a multi-line text
	Switch      key.Binding // tab: the next choice (a sign-off's verdict)
	Yes, No     key.Binding // answer a question
	Toggle      key.Binding // mark a procedure step done
	Close       key.Binding // close an incident
	Read        key.Binding // read a procedure in full without opening it
	Cancel      key.Binding
}

// Dialog returns the dialog keys, all enabled; each dialog enables the ones it uses.
func Dialog() DialogKeys {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return DialogKeys{
		Up:     b("↑/k", "up", "up", "k"),
		Down:   b("↓/j", "down", "down", "j"),
		Top:    b("g", "first (home)", "g", "home"),
		Bottom: b("G", "last (end)", "G", "end"),
		Submit: b("enter", "ok", "enter"),
		// ctrl+j is a line feed on every terminal; alt+enter where the
		// terminal passes it on.
		Newline: b("ctrl+j", "new line", "ctrl+j", "alt+enter"),
		Switch:  b("tab", "switch", "tab", "shift+tab"),
		Yes:     b("y", "yes", "y"),
		No:      b("n", "no", "n"),
		Toggle:  b("space", "step done", " "),
		Close:   b("c", "close incident", "c"),
		Read:    b("v", "read in full", "v"),
		Cancel:  b("esc", "cancel", "esc"),
	}
}

// ShortHelp lists the enabled dialog keys.
func (d DialogKeys) ShortHelp() []key.Binding {
	return []key.Binding{d.Up, d.Down, d.Submit, d.Newline, d.Switch, d.Yes, d.No, d.Toggle, d.Close, d.Read, d.Cancel}
}

// FullHelp is every dialog key in one column: the footer's, and first and
// last, which the footer leaves out for room.
func (d DialogKeys) FullHelp() [][]key.Binding {
	all := append(d.ShortHelp()[:2:2], d.Top, d.Bottom)
	return [][]key.Binding{append(all, d.ShortHelp()[2:]...)}
}
