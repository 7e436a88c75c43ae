package watch

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"runway/runbook/fold"
	"runway/runbook/session"
	"runway/ui/keys"
)

func asciiRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return r
}

// key turns a key name or one character into a key message.
func key(k string) tea.KeyMsg {
	types := map[string]tea.KeyType{
		"enter": tea.KeyEnter, "esc": tea.KeyEsc, "up": tea.KeyUp, "down": tea.KeyDown,
		"left": tea.KeyLeft, "right": tea.KeyRight, "tab": tea.KeyTab, " ": tea.KeySpace,
	}
	if t, ok := types[k]; ok {
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// runCmd runs a command the way the program would, giving up on one that
// waits (a subscription, a tick) after a short while; it returns the message.
func runCmd(cmd tea.Cmd) tea.Msg {
	if cmd == nil {
		return nil
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	select {
	case msg := <-ch:
		return msg
	case <-time.After(300 * time.Millisecond):
		return nil
	}
}

// TestKeysChangeNothing presses every key that would act on a session at a
// manual item that waits for its sign-off, as the driver's console would
// take them, and runs what they return: the log gains no event, and the
// help footer offers none of those actions.
func TestKeysChangeNothing(t *testing.T) {
	d := startDriver(t, t.TempDir(), smallRunbook)
	d.do(t, session.RunPhase{Phase: "prep"})
	src, err := Open(context.Background(), d.path, d.sess.ID(), Options{Every: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	eventually(t, "caught up", func() bool { return caughtUp(src, d.sess) })

	m := New(src, ModelOptions{Renderer: asciiRenderer(), AuditPath: d.path})
	defer m.Release()
	next, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m = next.(Model)
	before := countEvents(t, d.path)

	presses := []string{"enter", "R", "s", "x", "r", "o", "a", "b", "p", "+", "=", "-", "n",
		"y", "hello", "enter", "tab", " ", "c", "down", "enter", "s", "y"}
	for _, k := range presses {
		next, cmd := m.Update(key(k))
		m = next.(Model)
		if msg := runCmd(cmd); msg != nil {
			if _, quit := msg.(tea.QuitMsg); !quit {
				next, _ = m.Update(msg)
				m = next.(Model)
			}
		}
	}
	if after := countEvents(t, d.path); after != before {
		t.Fatalf("the watcher's keys wrote %d events", after-before)
	}
	if got := d.sess.State().Item("prep", "backups").Status; got != fold.ItemAwaiting {
		t.Fatalf("backups is %s after the watcher's keys", got)
	}
	view := m.View()
	lines := strings.Split(view, "\n")
	footer := lines[len(lines)-1]
	k := keys.Default()
	for _, b := range k.Mutating() {
		if item := b.Help().Key + " " + b.Help().Desc; strings.Contains(footer, item) {
			t.Errorf("the footer offers %q to a watcher: %q", item, footer)
		}
	}
	if !strings.Contains(view, "watching") {
		t.Errorf("the screen does not say it is watching:\n%s", view)
	}
}

// TestDriverLine shows each driver state in words on the rule under the
// header, at 80 columns, without colour.
func TestDriverLine(t *testing.T) {
	d := startDriver(t, t.TempDir(), smallRunbook)
	src, err := Open(context.Background(), d.path, d.sess.ID(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	at := time.Date(2026, 3, 1, 14, 3, 22, 0, time.Local)
	m := New(src, ModelOptions{Renderer: asciiRenderer(), Now: func() time.Time { return at }})
	defer m.Release()
	next, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m = next.(Model)
	cases := []struct {
		d    DriverStatus
		want string
	}{
		{DriverStatus{State: DriverRunning, PID: 4242, Host: "db1"}, "── ● driver pid 4242 on db1 · last event 3s ago ──"},
		{DriverStatus{State: DriverClosed, Closed: "passed", At: at}, "── ■ the driver closed the session (passed) at 14:03:22 ──"},
		{DriverStatus{State: DriverGone, PID: 4242, At: at}, "── ✗ driver pid 4242 gone at 14:03:22 without closing the session ──"},
		{DriverStatus{State: DriverUnknown, Why: "runs on db2, its process cannot be seen from db1"}, "── ? driver: runs on db2, its process cannot be seen from db1 · last event 3s… ─"},
	}
	for _, c := range cases {
		next, _ := m.Update(driverMsg{d: c.d, last: at.Add(-3 * time.Second), at: at})
		mm := next.(Model)
		lines := strings.Split(mm.View(), "\n")
		// The header's three lines (the runbook plans time), then the rule.
		if strings.Trim(lines[3], "─") == "" {
			t.Fatal("the rule under the header is left plain")
		}
		if got := lines[3]; !strings.HasPrefix(got, strings.TrimRight(c.want, "─")) || len([]rune(got)) != 80 {
			t.Errorf("driver line:\n got %q\nwant %q", got, c.want)
		}
		if testing.Verbose() {
			t.Logf("\n%s", mm.View())
		}
	}
}
