package console

import (
	"io"
	"strconv"
	"strings"
	"sync"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"runway/runbook/fold"
	"runway/ui/inert"
)

// A stop, a critical failure and an approval request ring the terminal's
// bell once each and put the session's state in the terminal's (or tmux's)
// title, so that a lead whose pane is small, hidden or in another window
// still learns of them. Both are derived from the folded state, so every
// console on a session (the lead's, a watcher's, a serve participant's)
// signals the same events; a replay signals nothing.

// alarms are the events in st that ring the bell, by a key that stays the
// same for as long as the event stands: a new key is a new event. A
// critical failure and the stop it triggers are one event (the item's
// attempt), whichever of the two the console sees first.
func (m Model) alarms(st fold.State) map[string]bool {
	out := map[string]bool{}
	if s := st.Stop; s != nil {
		out["held "+s.Phase+"/"+s.Item+" "+attemptOf(st, s.Phase, s.Item)] = true
	}
	if p := st.Pending; p != nil {
		out["approval "+p.Phase+"/"+p.Item+" "+stamp(p.At.UnixNano())] = true
	}
	for pi, ps := range st.Phases {
		for ii, is := range ps.Items {
			if is.Status == fold.ItemFailed && (is.Critical || m.specCritical(pi, ii)) {
				out["held "+ps.ID+"/"+is.ID+" "+strconv.Itoa(is.Attempt)] = true
			}
		}
	}
	return out
}

// specCritical says whether the runbook marks item ii of phase pi critical.
func (m Model) specCritical(pi, ii int) bool {
	return pi < len(m.rb.Phases) && ii < len(m.rb.Phases[pi].Items) && m.rb.Phases[pi].Items[ii].Critical
}

func stamp(n int64) string { return strconv.FormatInt(n, 36) }

// attemptOf is the attempt number of an item, "" when the fold has none.
func attemptOf(st fold.State, phase, item string) string {
	for _, ps := range st.Phases {
		if phase != "" && ps.ID != phase {
			continue
		}
		for _, is := range ps.Items {
			if is.ID == item {
				return strconv.Itoa(is.Attempt)
			}
		}
	}
	return ""
}

// windowTitle is the session's state in a few words for the terminal's
// title: what holds it, and where.
func (m Model) windowTitle(st fold.State) string {
	var t string
	switch {
	case m.endErr != nil:
		t = "✗ ENDED"
	case st.Pending != nil:
		t = "⚑ WAITING FOR AN APPROVER " + st.Pending.Phase + "/" + st.Pending.Item
	case st.Stop != nil:
		t = "⏸ STOPPED " + where(st.Stop.Phase, st.Stop.Item)
	default:
		icon, word, _ := sessionMark(m.sty, st.Status)
		t = icon + " " + word
	}
	// Ids come from the runbook: the title is a terminal control sequence,
	// so nothing in it may end or extend it.
	return "runway " + strings.Map(func(r rune) rune {
		if inert.Hidden(r) || r < 0x20 || (r >= 0x7f && r < 0xa0) {
			return '?'
		}
		return r
	}, inert.Line(t))
}

// where is phase/item, or the item alone when the phase is not known.
func where(phase, item string) string {
	switch {
	case phase == "":
		return item
	case item == "": // a guard's stop names its phase only
		return phase
	}
	return phase + "/" + item
}

// signal compares the state now shown with what was signalled last: it
// rings the bell when an alarm is new and retitles the terminal when the
// title changed, by a command that writes to Options.Signals.
func (m *Model) signal() tea.Cmd {
	now := m.alarms(m.st)
	ring := false
	for k := range now {
		if !m.rung[k] {
			ring = true
		}
	}
	m.rung = now
	title := m.windowTitle(m.st)
	if title == m.title && !ring {
		return nil
	}
	m.title = title
	return m.signalCmd(title, ring)
}

// quiet is true when nothing is signalled: no terminal to signal to, or a
// replay (its stops happened long ago).
func (m Model) quiet() bool { return m.sig == nil || m.opts.Mode == "replay" }

// initialTitle titles the terminal when the console starts, without a bell:
// what stood before it opened was signalled then, or is history.
// New numbered it 1; every later signal is newer.
func (m Model) initialTitle() tea.Cmd {
	if m.quiet() {
		return nil
	}
	sig, title := m.sig, m.title
	return func() tea.Msg {
		sig.write(1, title, false)
		return nil
	}
}

// signalCmd writes the title, and a bell, to the terminal. Commands run
// concurrently: each carries its number, and the signaller writes no title
// older than the last it wrote (a bell is never dropped).
func (m *Model) signalCmd(title string, ring bool) tea.Cmd {
	if m.quiet() {
		return nil
	}
	m.sigN++
	sig, n := m.sig, m.sigN
	return func() tea.Msg {
		sig.write(n, title, ring)
		return nil
	}
}

// WindowTitle is the terminal title for the state shown, for tests and wrappers.
func (m Model) WindowTitle() string { return m.title }

// signaller writes titles and bells to the terminal, in order.
//
// They do not go through bubbletea's tea.SetWindowTitle: in v1.3.10 its
// renderer writes the title without the lock its frames are written under.
// A terminal (*os.File) takes each Write whole, and serve's connection
// takes one Write at a time, so a title written beside a frame never splits
// it.
type signaller struct {
	mu   sync.Mutex
	w    io.Writer
	last uint64
}

func (s *signaller) write(n uint64, title string, ring bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var seq string
	if n > s.last {
		s.last = n
		seq = ansi.SetWindowTitle(title) // OSC 2, ended by BEL
	}
	if ring {
		seq += "\a"
	}
	if seq != "" {
		_, _ = io.WriteString(s.w, seq)
	}
}
