package console

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"runway/runbook/event"
	"runway/runbook/session"
)

// pendingOwn: the pilot's verify failed and alice, who drives this console,
// asked for its two-person override.
func pendingOwn() *fakeCore {
	f := stopped()
	f.emit("alice", event.KindOverrideRequested, "pilot", "verify-orders", event.OverridePayload{
		Reason: "the 3 rows are test merchants", Policy: "two-person", RequestedBy: "alice",
	})
	return f
}

// pendingOther: lea asked for the override; alice may approve it.
func pendingOther() *fakeCore {
	f := stopped()
	f.emit("lea", event.KindOverrideRequested, "pilot", "verify-orders", event.OverridePayload{
		Reason: "the 3 rows are test merchants", Policy: "two-person", RequestedBy: "lea",
	})
	return f
}

// TestCompactViewKeepsTheStop: below 80×24, down to 40×10, the screen still
// shows the session's state, the stop banner with its choices, and the
// phase and item; it has exactly the terminal's size.
func TestCompactViewKeepsTheStop(t *testing.T) {
	for _, size := range [][2]int{{79, 30}, {100, 23}, {60, 20}, {40, 10}} {
		m := newModel(t, stopped(), size[0], size[1])
		v := m.View()
		checkSize(t, v, size[0], size[1])
		for _, want := range []string{"stopped", "STOPPED · pilot/verify-orders", "r retry", "o override", "b roll back", "Pilot", "Verify pilot orders"} {
			if !strings.Contains(v, want) {
				t.Errorf("%dx%d: no %q in\n%s", size[0], size[1], want, v)
			}
		}
	}
	// Back to 80×24 or more, the full console.
	m := newModel(t, stopped(), 60, 20)
	m = step(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	if v := m.View(); !strings.Contains(v, "PHASES") || !strings.Contains(v, "DETAIL") {
		t.Fatalf("resize back did not lay out the full console:\n%s", v)
	}
}

// TestCompactKeysAct: the compact view's keys are the console's: a choice
// of the banner acts, and a dialog opens in the body.
func TestCompactKeysAct(t *testing.T) {
	f := stopped()
	m := newModel(t, f, 60, 20)
	m, _ = press(t, m, "o")
	if v := m.View(); !strings.Contains(v, "Override a failed critical item") {
		t.Fatalf("o does not open the override dialog at 60×20:\n%s", v)
	}
	checkSize(t, m.View(), 60, 20)
	m, _ = press(t, m, "esc")
	if _, msg := press(t, m, "r"); msg == nil || f.last() != (session.Retry{Item: "verify-orders", Actor: "alice"}) {
		t.Fatalf("r at 60×20 sent %v (%v)", f.last(), msg)
	}
}

// TestOneLineBelowCompact: below 40×10 one line says the state and what
// holds it; q still quits and no other key acts.
func TestOneLineBelowCompact(t *testing.T) {
	for _, size := range [][2]int{{39, 9}, {100, 5}, {30, 1}} {
		f := stopped()
		m := newModel(t, f, size[0], size[1])
		v := m.View()
		checkSize(t, v, size[0], size[1])
		first := strings.Split(v, "\n")[0]
		want := "runway ■ stopped · pilot/verify-orders: 3 of 250,000 rows differ"
		if w := min(size[0], len([]rune(want))); !strings.HasPrefix(want, strings.TrimSuffix(first, "…")) || len([]rune(first)) < w {
			t.Errorf("%dx%d: first line %q, want a cut of %q", size[0], size[1], first, want)
		}
		if m, _ = press(t, m, "r"); len(f.actions) != 0 {
			t.Errorf("%dx%d: r acted on a screen too small to show it: %v", size[0], size[1], f.actions)
		}
		// Quitting a stopped session asks: the line asks, a second q answers.
		next, cmd := m.Update(keyMsg("q"))
		m = next.(Model)
		if cmd != nil || !strings.Contains(m.View(), "q again quits") {
			t.Errorf("%dx%d: q quit a stopped session without asking:\n%s", size[0], size[1], m.View())
		}
		if _, cmd := m.Update(keyMsg("q")); cmd == nil {
			t.Errorf("%dx%d: a second q does not quit", size[0], size[1])
		}
	}
	m := newModel(t, pendingOwn(), 39, 9)
	if got := strings.Split(m.View(), "\n")[0]; got != "runway ⚑ waiting for an approver · pil…" {
		t.Errorf("one line while an override waits: %q", got)
	}
}
