package session

import (
	"fmt"
	"testing"

	"runway/runbook/fold"
)

// policyRunbook has one phase whose critical item b fails, under policy.
func policyRunbook(policy string) string {
	line := ""
	if policy != "" {
		line = "    overrides: " + policy + "\n"
	}
	return fmt.Sprintf(`
version: 1
name: t
title: test
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
%s    items:
      - {id: a, title: A, command: {run: "true"}}
      - {id: b, title: B, critical: true, command: {run: "test -e fixed"}}
      - {id: c, title: C, command: {run: "touch c.marker"}}
    rollback_point: one_done
  - id: two
    title: Two
    risk: low
    expected: 1h
    items:
      - {id: d, title: D, command: {run: "true"}}
`, line)
}

func TestOverridePolicies(t *testing.T) {
	type step struct {
		a       Action
		refused string // "" = accepted
	}
	tests := []struct {
		name    string
		policy  string
		steps   []step
		want    fold.ItemStatus // b afterwards
		stopped bool
	}{
		{"forbidden", "forbidden", []step{
			{Override{Item: "b", Reason: "known flake"}, "forbids overrides"},
		}, fold.ItemFailed, true},
		{"reason needs a reason", "reason", []step{
			{Override{Item: "b"}, "needs a reason"},
			{Override{Item: "b", Reason: "checked by hand"}, ""},
		}, fold.ItemOverridden, false},
		{"default is reason", "", []step{
			{Override{Item: "b", Reason: "checked by hand"}, ""},
		}, fold.ItemOverridden, false},
		{"two-person: another label is no second person", "two-person", []step{
			{Override{Item: "b", Reason: "vendor confirmed"}, ""},
			{ApproveOverride{Item: "b"}, "second person"}, // alice asked, alice can't approve
			{ApproveOverride{Item: "b", Actor: "alice"}, "second person"},
			// Same process, same OS user: a name is a label, not a person.
			{ApproveOverride{Item: "b", Actor: "bob"}, "from their own login"},
		}, fold.ItemFailed, true},
		{"two-person rejected", "two-person", []step{
			{Override{Item: "b", Reason: "vendor confirmed"}, ""},
			{RejectOverride{Item: "b", Actor: "bob"}, ""},
			{ApproveOverride{Item: "b", Actor: "bob"}, "no override"},
		}, fold.ItemFailed, true},
		{"override of a passed item", "reason", []step{
			{Override{Item: "a", Reason: "x"}, "only a failed critical item"},
		}, fold.ItemFailed, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, policyRunbook(tt.policy))
			f.do(RunPhase{Phase: "one"})
			for _, s := range tt.steps {
				if s.refused != "" {
					f.refused(s.a, s.refused)
				} else {
					f.do(s.a)
				}
			}
			st := f.state()
			if got := f.item("b").Status; got != tt.want {
				t.Fatalf("b is %s, want %s", got, tt.want)
			}
			if (st.Stop != nil) != tt.stopped {
				t.Fatalf("stop %+v, want stopped=%v", st.Stop, tt.stopped)
			}
			if tt.want == fold.ItemOverridden {
				if len(st.Overrides) != 1 || st.Overrides[0].RequestedBy != "alice" {
					t.Fatalf("overrides %+v", st.Overrides)
				}
				// The phase goes on after an override.
				f.do(RunPhase{Phase: "one"})
				if !f.exists("c.marker") || f.state().Phases[0].Status != fold.PhasePassed {
					t.Fatalf("phase did not go on after the override: %v", f.kinds())
				}
			}
		})
	}
}

func TestRetryClearsStop(t *testing.T) {
	f := newFixture(t, policyRunbook(""))
	f.do(RunPhase{Phase: "one"})
	f.refused(Retry{Item: "a"}, "only a failed or interrupted item")
	f.do(Retry{Item: "b"}) // still failing
	if st := f.state(); st.Stop == nil || f.item("b").Attempt != 2 {
		t.Fatalf("stop %+v, attempt %d", st.Stop, f.item("b").Attempt)
	}
	touch(t, f.dir, "fixed")
	f.do(Retry{Item: "b"})
	st := f.state()
	if st.Stop != nil || f.item("b").Status != fold.ItemPassed || st.Phases[0].Status != fold.PhaseRunning {
		t.Fatalf("after a passing retry: stop %+v, b %s, phase %s", st.Stop, f.item("b").Status, st.Phases[0].Status)
	}
	if !f.has("stop.cleared b") {
		t.Fatalf("no stop.cleared: %v", f.kinds())
	}
	f.do(RunPhase{Phase: "one"})
	if st := f.state(); st.Phases[0].Status != fold.PhasePassed || len(st.RollbackPoints) != 1 {
		t.Fatalf("phase %s, points %+v", st.Phases[0].Status, st.RollbackPoints)
	}
}
