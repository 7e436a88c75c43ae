package session

import (
	"testing"

	"runway/runbook/fold"
)

const outcomeRunbook = `
version: 1
name: t
title: test
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: a, title: A, command: {run: "true"}}
      - {id: w, title: W, command: {run: "false"}}
      - {id: b, title: B, critical: true, command: {run: "false"}}
      - {id: c, title: C, command: {run: "true"}}
  - id: two
    title: Two
    risk: low
    expected: 1h
    items:
      - {id: d, title: D, command: {run: "true"}}
`

// An override whose reason was "ok", a non-critical failure and a skip must
// not read as a clean pass, in the phase or in the session.
func TestOutcomeNamesOverridesWarningsAndSkips(t *testing.T) {
	f := newFixture(t, outcomeRunbook)
	f.do(Skip{Item: "c", Reason: "not today"})
	f.do(RunPhase{Phase: "one"})
	f.do(Override{Item: "b", Reason: "ok"})
	f.do(RunPhase{Phase: "two"})
	st := f.state()
	if st.Status != fold.StatusPassed {
		t.Fatalf("status %s, want passed", st.Status)
	}
	if got, want := st.Phases[0].Label(), "passed with 1 override · 1 warning · 1 skipped"; got != want {
		t.Errorf("phase one reads %q, want %q", got, want)
	}
	if got := st.Phases[1].Label(); got != "passed" {
		t.Errorf("phase two reads %q, want passed", got)
	}
	if got, want := st.Label(), "passed with 1 override · 1 warning · 1 skipped"; got != want {
		t.Errorf("session reads %q, want %q", got, want)
	}
}

func TestOutcomeWords(t *testing.T) {
	tests := []struct {
		o    fold.Outcome
		want string
	}{
		{fold.Outcome{}, "passed"},
		{fold.Outcome{Overrides: 1, Skips: 2}, "passed with 1 override · 2 skipped"},
		{fold.Outcome{Warnings: 3}, "passed with 3 warnings"},
		{fold.Outcome{Overrides: 2, Warnings: 1, Skips: 1}, "passed with 2 overrides · 1 warning · 1 skipped"},
	}
	for _, tt := range tests {
		if got := tt.o.Passed(); got != tt.want {
			t.Errorf("%+v reads %q, want %q", tt.o, got, tt.want)
		}
	}
	// A phase that has not passed reads as its status, whatever it counts.
	p := fold.PhaseState{Status: fold.PhaseHalted, Items: []fold.ItemState{{Status: fold.ItemSkipped}}}
	if got := p.Label(); got != "halted" {
		t.Errorf("halted phase reads %q", got)
	}
}
