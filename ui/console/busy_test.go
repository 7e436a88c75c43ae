package console

import (
	"strings"
	"testing"

	"runway/runbook/event"
	"runway/runbook/session"
)

// What the console lets the lead start follows the state, not the last live
// sample: once the state shows an engine item passed, R runs the rest of the
// phase at once, even before the next tick has sampled the engines again.
func TestRunPhaseRightAfterAnEngineFinishes(t *testing.T) {
	f := copying()
	m := newModel(t, f, 120, 40) // the live sample holds the running copy
	f.setLive("copy-orders")
	f.emit("alice", event.KindItemPassed, "pilot", "copy-orders", event.ResultPayload{Attempt: 1, Summary: "copied 250,000 rows"})
	m = step(m, stateMsg{f.State()}) // the state arrives before the next tick
	m, _ = press(t, m, "R")
	if strings.Contains(m.status.text, "already running") || m.dialog == nil {
		t.Fatalf("R refused while the state shows nothing running: %q", m.status.text)
	}
	m, msg := press(t, m, "tab", "enter") // Yes, run the phase
	if _, ok := msg.(doneMsg); !ok {
		t.Fatalf("R sent no action: %#v, status %q", msg, m.status.text)
	}
	if a, ok := f.last().(session.RunPhase); !ok || a.Phase != "pilot" {
		t.Fatalf("the session got %#v, want RunPhase pilot", f.last())
	}
}
