package console

import (
	"strings"
	"testing"
	"time"

	"runway/runbook/event"

	tea "github.com/charmbracelet/bubbletea"
)

// Outside serve the console's user is the process's OS user, who can't be
// the second person: a approves nothing and says how to approve from
// another login, and the footer no longer offers it.
func TestApproveElsewhere(t *testing.T) {
	const hint = "approve from another login: runway approve s1 --audit /srv/runway/orders.db"
	f := stopped()
	f.emit("lea", event.KindOverrideRequested, "pilot", "verify-orders", event.OverridePayload{
		Reason: "diffs are test merchants", Policy: "two-person", RequestedBy: "lea",
	})
	m := New(f, Options{
		Renderer: asciiRenderer(), Operator: "abe", AuditPath: "/srv/runway/orders.db",
		Now: func() time.Time { return clock }, ApproveElsewhere: hint,
	})
	m = step(m, tea.WindowSizeMsg{Width: 120, Height: 30})
	m = step(m, liveMsg{at: clock, live: f.Live()})
	if m.keys.Approve.Enabled() {
		t.Fatal("a is offered on a pending override outside serve")
	}
	m, msg := press(t, m, "a")
	if msg != nil || len(f.actions) != 0 {
		t.Fatalf("a sent %v, actions %v", msg, f.actions)
	}
	view := m.View()
	if !strings.Contains(view, "✗ a: "+hint) {
		t.Errorf("a does not say how to approve:\n%s", view)
	}
	if strings.Contains(view, "approve override") {
		t.Errorf("the footer still offers approve:\n%s", view)
	}
}

// A watcher (read-only) pressing a on a pending override is told the
// command that approves, not just that it is read-only.
func TestWatcherToldHowToApprove(t *testing.T) {
	const hint = "approve with: runway approve s1 --audit /srv/runway/orders.db"
	f := stopped()
	f.emit("lea", event.KindOverrideRequested, "pilot", "verify-orders", event.OverridePayload{
		Reason: "diffs are test merchants", Policy: "two-person", RequestedBy: "lea",
	})
	m := New(f, Options{
		Renderer: asciiRenderer(), AuditPath: "/srv/runway/orders.db", Observer: true,
		Now: func() time.Time { return clock }, ApproveElsewhere: hint,
	})
	m = step(m, tea.WindowSizeMsg{Width: 120, Height: 30})
	m = step(m, liveMsg{at: clock, live: f.Live()})
	m, _ = press(t, m, "a")
	if view := m.View(); !strings.Contains(view, "✗ a: "+hint) || len(f.actions) != 0 {
		t.Errorf("a does not say how to approve, or acted (%v):\n%s", f.actions, view)
	}
}
