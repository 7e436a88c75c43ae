package console

import (
	"strings"
	"testing"

	"runway/runbook"
	"runway/runbook/event"
	"runway/runbook/session"
)

// guarded is orders with a runbook-wide guard that breached critical.
func guarded(t *testing.T) *fakeCore {
	rb := orders()
	rb.Guards = []runbook.Guard{{ID: "error-rate", Title: "Error rate", Every: runbook.Duration(1e9), For: 1,
		Critical: &runbook.GuardCondition{Trend: runbook.TrendValue, Expect: "> 0.05"}}}
	f := newFake(rb)
	f.emit("alice", event.KindPhaseStarted, "preparation", "", nil)
	for _, v := range []string{"0.01", "0.02", "0.04"} {
		f.emit("guard:error-rate", event.KindGuardSample, "", "", event.GuardPayload{Guard: "error-rate", Value: v})
	}
	f.emit("guard:error-rate", event.KindGuardState, "", "", event.GuardPayload{Guard: "error-rate", State: "critical", From: "ok", Value: "0.07", Threshold: "> 0.05", Count: 1})
	f.emit("guard:error-rate", event.KindStopTriggered, "preparation", "", event.StopPayload{
		Reason: "guard error-rate critical: 0.07 (breached > 0.05)", Choices: []string{"acknowledge"}, Guard: "error-rate"})
	f.emit("guard:error-rate", event.KindPhaseHalted, "preparation", "", event.PhasePayload{Reason: "guard"})
	return f
}

func TestGuardStripAndBanner(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {60, 16}} {
		f := guarded(t)
		view := newModel(t, f, size[0], size[1]).View()
		for _, want := range []string{"◉ guards · error-rate 0.07 ✗ CRITICAL", "guard error-rate critical: 0.07", "o acknowledge"} {
			if !strings.Contains(view, want) {
				t.Errorf("%dx%d: no %q in\n%s", size[0], size[1], want, view)
			}
		}
		if n := len(strings.Split(view, "\n")); n != size[1] {
			t.Errorf("%dx%d: %d lines", size[0], size[1], n)
		}
	}
}

func TestGuardAcknowledgeKey(t *testing.T) {
	f := guarded(t)
	m := newModel(t, f, 80, 24)
	m = step(m, keyMsg("o"))
	if !strings.Contains(m.View(), "Acknowledge a guard's breach") {
		t.Fatalf("o opened no acknowledgement:\n%s", m.View())
	}
	m = step(m, keyMsg("nightly batch"))
	next, cmd := m.Update(keyMsg("enter"))
	m = next.(Model)
	for cmd != nil {
		msg := cmd()
		if msg == nil {
			break
		}
		next, cmd = m.Update(msg)
		m = next.(Model)
		if _, ok := f.last().(session.AcknowledgeGuard); ok {
			break
		}
	}
	a, ok := f.last().(session.AcknowledgeGuard)
	if !ok || a.Guard != "error-rate" || a.Reason != "nightly batch" {
		t.Errorf("last action %#v", f.last())
	}
}

// The footer says what o does where the lead stands: it acknowledges a
// guard's stop, and overrides a failed critical item at an item's stop.
func TestGuardFooterSaysAcknowledge(t *testing.T) {
	guard := footerOf(newModel(t, guarded(t), 120, 24))
	if !strings.Contains(guard, "o acknowledge") || strings.Contains(guard, "o override") {
		t.Errorf("footer at a guard's stop: %q", guard)
	}
	item := footerOf(newModel(t, stopped(), 120, 24))
	if !strings.Contains(item, "o override") || strings.Contains(item, "o acknowledge") {
		t.Errorf("footer at an item's stop: %q", item)
	}
}
