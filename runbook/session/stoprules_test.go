package session

import (
	"strings"
	"testing"

	"runway/runbook/fold"
)

const twoPhases = `
version: 1
name: t
title: test
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: a, title: A, command: {run: "echo a >> ran.txt"}}
      - {id: b, title: B, critical: true, command: {run: "false"}}
      - {id: c, title: C, command: {run: "touch c.marker"}}
  - id: two
    title: Two
    risk: low
    expected: 1h
    items:
      - {id: d, title: D, command: {run: "true"}}
`

func TestCriticalFailureHaltsPhase(t *testing.T) {
	f := newFixture(t, twoPhases)
	f.do(RunPhase{Phase: "one"})
	st := f.state()
	if f.exists("c.marker") {
		t.Fatal("the item after a failed critical item ran")
	}
	if st.Stop == nil || st.Stop.Item != "b" {
		t.Fatalf("stop = %+v, want one on b", st.Stop)
	}
	if st.Phases[0].Status != fold.PhaseHalted || st.Phases[1].Status != fold.PhaseLocked {
		t.Fatalf("phases %s, %s; want halted, locked", st.Phases[0].Status, st.Phases[1].Status)
	}
	if it := f.item("c"); it.Status != fold.ItemPending {
		t.Fatalf("c is %s", it.Status)
	}
	if st.Status != fold.StatusStopped {
		t.Fatalf("status %s", st.Status)
	}
	if !f.has("stop.triggered b") || !f.has("phase.halted one") {
		t.Fatalf("log lacks the stop: %v", f.kinds())
	}
	f.refused(RunPhase{Phase: "one"}, "stop rule holds")
	f.refused(RunPhase{Phase: "two"}, "stop rule holds")
	f.refused(RunItem{Phase: "one", Item: "c"}, "stop rule holds")
	f.refused(Skip{Item: "b", Reason: "x"}, "can't be skipped")
}

func TestNonCriticalFailureGoesOn(t *testing.T) {
	f := newFixture(t, strings.Replace(twoPhases, "critical: true, command: {run: \"false\"}", "command: {run: \"false\"}", 1))
	f.do(RunPhase{Phase: "one"})
	st := f.state()
	if !f.exists("c.marker") {
		t.Fatal("the phase did not go on after a non-critical failure")
	}
	if st.Stop != nil || st.Phases[0].Status != fold.PhasePassed || st.Phases[1].Status != fold.PhaseReady {
		t.Fatalf("stop %+v, phases %s %s", st.Stop, st.Phases[0].Status, st.Phases[1].Status)
	}
	if it := f.item("b"); it.Status != fold.ItemFailed {
		t.Fatalf("b is %s", it.Status)
	}
	f.do(RunPhase{Phase: "two"})
	if st := f.state(); st.Status != fold.StatusPassed {
		t.Fatalf("status %s", st.Status)
	}
}
