package console

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestQuit: quitting while an engine runs asks first, then stops the engines
// through the session before the program ends; quitting when idle does not ask.
func TestQuit(t *testing.T) {
	f := copying()
	m := newModel(t, f, 80, 24)
	m, _ = press(t, m, "q")
	if !strings.Contains(m.View(), "Quit while work runs?") || !strings.Contains(m.View(), "pilot/copy-orders (copy) is running") {
		t.Fatalf("no confirmation:\n%s", m.View())
	}
	m, _ = press(t, m, "n", "enter")
	if m.dialog != nil || f.closed != 0 {
		t.Fatal("enter on the default No did not keep the session running")
	}
	m, _ = press(t, m, "q", "tab")
	next, cmd := m.Update(keyMsg("enter"))
	m = next.(Model)
	if !m.quitting || cmd == nil {
		t.Fatal("y did not start stopping the session")
	}
	msg := cmd()
	if f.closed != 1 {
		t.Fatalf("session closed %d times, want 1", f.closed)
	}
	if _, cmd = m.Update(msg); cmd == nil || !isQuit(cmd()) {
		t.Fatal("the program does not quit once the session stopped")
	}

	g := opened()
	m = newModel(t, g, 80, 24)
	_, cmd = m.Update(keyMsg("q"))
	if cmd == nil {
		t.Fatal("q when idle does nothing")
	}
	if _, cmd = m.Update(cmd()); g.closed != 1 || cmd == nil || !isQuit(cmd()) {
		t.Fatal("q when idle does not close the session and quit")
	}
}

func isQuit(msg tea.Msg) bool {
	_, ok := msg.(tea.QuitMsg)
	return ok
}

// TestObserver: a watcher has every mutating key disabled, so the footer
// offers none, and pressing one says why.
func TestObserver(t *testing.T) {
	f := stopped()
	m := newModel(t, watcher{f}, 80, 24)
	for _, b := range m.keys.Mutating() {
		if b.Enabled() {
			t.Errorf("%s enabled for a watcher", b.Help().Desc)
		}
	}
	v := m.View()
	footer := strings.Split(v, "\n")[23]
	if strings.Contains(footer, "retry") || strings.Contains(footer, "override") || !strings.Contains(footer, "q quit") {
		t.Errorf("watcher footer = %q", footer)
	}
	if !strings.Contains(v, "(watching, read-only)") {
		t.Errorf("header does not say read-only:\n%s", v)
	}
	// The banner names the lead's choices without offering keys a watcher lacks.
	if !strings.Contains(v, "the lead may: retry") || strings.Contains(v, "r retry") {
		t.Errorf("watcher's stop banner offers keys:\n%s", v)
	}
	m, _ = press(t, m, "r")
	if !strings.Contains(m.View(), "read-only") || len(f.actions) > 0 {
		t.Errorf("r by a watcher: actions %v\n%s", f.actions, m.View())
	}
	// Viewing stays possible.
	m, _ = press(t, m, "i")
	if !strings.Contains(m.View(), "Risk register") {
		t.Error("watcher cannot open the risk register")
	}
}

// TestSessionEnded: after an audit log failure nothing can be done but quit.
func TestSessionEnded(t *testing.T) {
	f := opened()
	m := newModel(t, f, 80, 24)
	m = step(m, endedMsg{err: errString("append event: disk full")})
	if m.keys.Run.Enabled() || m.keys.Note.Enabled() {
		t.Error("actions offered after the session ended")
	}
	v := m.View()
	checkSize(t, v, 80, 24)
	if !strings.Contains(v, " ✗ SESSION ENDED: append event: disk full") || !strings.Contains(v, "nothing runs unrecorded · q quits") {
		t.Errorf("no banner for the failure:\n%s", v)
	}
}

type errString string

func (e errString) Error() string { return string(e) }
