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

// While a guard's stop holds, o reads "acknowledge" in the footer
// and the help, and p does not resume the engine the guard paused: it says
// to acknowledge first, and sends nothing.
func TestGuardStopKeysSayAcknowledge(t *testing.T) {
	f := copying()
	f.rb.Guards = []runbook.Guard{{ID: "error-rate", Title: "Error rate", Every: runbook.Duration(1e9), For: 1,
		Critical: &runbook.GuardCondition{Trend: runbook.TrendValue, Expect: "> 0.05"}}}
	f.emit("guard:error-rate", event.KindGuardState, "", "", event.GuardPayload{Guard: "error-rate", State: "critical", From: "ok", Value: "0.07", Threshold: "> 0.05", Count: 1})
	f.emit("guard:error-rate", event.KindStopTriggered, "pilot", "", event.StopPayload{
		Reason: "guard error-rate critical: 0.07 (breached > 0.05)", Choices: []string{"acknowledge"}, Guard: "error-rate"})
	f.emit("guard:error-rate", event.KindEngineControl, "pilot", "copy-orders", event.ControlPayload{Action: "pause"})
	m := newModel(t, f, 80, 24)
	lines := strings.Split(m.View(), "\n")
	foot := lines[len(lines)-1]
	if !strings.Contains(foot, "o acknowledge") || strings.Contains(foot, "p resume") {
		t.Errorf("footer %q", foot)
	}
	help := step(m, keyMsg("?")).View()
	if !strings.Contains(help, "o      acknowledge") || !strings.Contains(help, "resume · not now") {
		t.Errorf("help:\n%s", help)
	}
	before := len(f.actions)
	m = step(m, keyMsg("p"))
	if len(f.actions) != before {
		t.Errorf("p sent %#v while the guard's stop holds", f.last())
	}
	if !strings.Contains(m.View(), "acknowledge it first (o)") {
		t.Errorf("p does not say why:\n%s", m.View())
	}
}

// At 40x12 the acknowledgement dialog still shows what the lead types.
func TestGuardAcknowledgeDialogSmall(t *testing.T) {
	f := guarded(t)
	m := newModel(t, f, 40, 12)
	m = step(m, keyMsg("o"))
	m = step(m, keyMsg("batch job"))
	if v := m.View(); !strings.Contains(v, "> batch job") {
		t.Errorf("the reason typed is out of sight:\n%s", v)
	}
}

// A strip too narrow for every guard cuts the ones that are well: a
// critical guard listed last in the runbook is shown first.
func TestGuardStripWorstFirst(t *testing.T) {
	rb := orders()
	for _, id := range []string{"alpha-latency", "beta-backlog", "gamma-errors"} {
		rb.Guards = append(rb.Guards, runbook.Guard{ID: id, Title: id, Every: runbook.Duration(1e9), For: 1,
			Critical: &runbook.GuardCondition{Trend: runbook.TrendValue, Expect: "> 5"}})
	}
	f := newFake(rb)
	f.emit("alice", event.KindPhaseStarted, "preparation", "", nil)
	f.emit("guard:alpha-latency", event.KindGuardSample, "", "", event.GuardPayload{Guard: "alpha-latency", Value: "1.2345678"})
	f.emit("guard:beta-backlog", event.KindGuardSample, "", "", event.GuardPayload{Guard: "beta-backlog", Value: "2.2345678"})
	f.emit("guard:gamma-errors", event.KindGuardState, "", "", event.GuardPayload{Guard: "gamma-errors", State: "critical", From: "ok", Value: "9", Threshold: "> 5", Count: 1})
	m := newModel(t, f, 60, 20)
	strip := ""
	for _, l := range strings.Split(m.View(), "\n") {
		if strings.Contains(l, "◉ guards") {
			strip = l
		}
	}
	if !strings.Contains(strip, "◉ guards · gamma-errors 9 ✗ CRITICAL") {
		t.Errorf("strip %q", strip)
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
