package session

import (
	"strings"
	"testing"

	"runway/runbook/fold"
)

// TestAllowed is the role and control rule as a pure function: what each
// role may do, with and without control, and the reason when not.
func TestAllowed(t *testing.T) {
	none := fold.State{}                     // nobody handed control: the operator (alice) holds it
	withBob := fold.State{Controller: "bob"} // bob was handed control
	cases := []struct {
		st   fold.State
		p    Participant
		a    Action
		want string // "" = allowed, else part of the reason
	}{
		{none, alice, RunItem{}, ""},
		{none, alice, TakeControl{}, "already has control"},
		{withBob, alice, RunItem{}, "bob has control: take it back first"},
		{withBob, alice, TakeControl{}, ""},
		{none, bob, RunItem{}, "alice has control: ask them or a lead to hand it to bob"},
		{withBob, bob, RunItem{}, ""},
		{withBob, bob, Override{}, ""},
		{none, bob, TakeControl{}, "only a lead takes control"},
		{none, bob, Note{}, ""},
		{none, carol, ApproveOverride{}, ""},
		{none, carol, RejectOverride{}, ""},
		{none, carol, Note{}, ""},
		{none, carol, RunItem{}, "approvers only approve or reject overrides"},
		{withBob, bob, ApproveOverride{}, "only an approver or a lead decides"},
		{none, olive, Note{}, "olive is an observer"},
		{none, olive, ApproveOverride{}, "olive is an observer"},
		{none, Participant{Name: "x", Role: "boss"}, Note{}, "no known role"},
	}
	for _, c := range cases {
		err := Allowed(c.st, "alice", c.p, c.a)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s by %s (controller %q): refused: %v", c.a.ActionName(), c.p, c.st.Controller, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s by %s (controller %q): got %v, want a refusal containing %q", c.a.ActionName(), c.p, c.st.Controller, err, c.want)
		}
	}
}
