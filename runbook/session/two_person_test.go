package session

import (
	"encoding/json"
	"testing"

	"runway/runbook/event"
	"runway/runbook/fold"
)

// A two-person override asked by the driver waits for an approver, who
// confirms it on their own; the driver can't approve their own request, and
// the record names both.
func TestTwoPersonOverrideAcrossParticipants(t *testing.T) {
	f := newFixture(t, policyRunbook("two-person"))
	f.as(alice, HandControl{To: bob})
	f.as(bob, RunPhase{Phase: "one"})
	if f.item("b").Status != fold.ItemFailed || f.state().Stop == nil {
		t.Fatalf("b %s, stop %+v", f.item("b").Status, f.state().Stop)
	}
	f.refusedAs(carol, Override{Item: "b", Reason: "vendor confirmed"}, "approvers only approve or reject")
	f.as(bob, Override{Item: "b", Reason: "vendor confirmed"})
	if st := f.state(); st.Pending == nil || st.Pending.RequestedBy != "bob" || f.item("b").Status != fold.ItemFailed {
		t.Fatalf("pending %+v, b %s", st.Pending, f.item("b").Status)
	}
	// While it waits, the session goes on answering everyone.
	f.as(carol, Note{Text: "looking at the vendor ticket"})
	f.refusedAs(bob, ApproveOverride{Item: "b"}, "only an approver or a lead decides")
	f.refusedAs(olive, ApproveOverride{Item: "b"}, "observer")
	f.as(carol, ApproveOverride{Item: "b"})

	st := f.state()
	if f.item("b").Status != fold.ItemOverridden || st.Stop != nil || len(st.Overrides) != 1 {
		t.Fatalf("b %s, stop %+v, overrides %+v", f.item("b").Status, st.Stop, st.Overrides)
	}
	var requested, approved event.OverridePayload
	for _, e := range f.events() {
		switch e.Kind {
		case event.KindOverrideRequested:
			if e.Actor != "bob" {
				t.Fatalf("override.requested by %q", e.Actor)
			}
			_ = json.Unmarshal(e.Payload, &requested)
		case event.KindOverrideApproved:
			if e.Actor != "carol" {
				t.Fatalf("override.approved by %q", e.Actor)
			}
			_ = json.Unmarshal(e.Payload, &approved)
		}
	}
	if requested.RequestedBy != "bob" || approved.RequestedBy != "bob" || approved.ApprovedBy != "carol" {
		t.Fatalf("requested %+v, approved %+v", requested, approved)
	}
	// The phase goes on in bob's hands.
	f.as(bob, RunPhase{Phase: "one"})
	if f.state().Phases[0].Status != fold.PhasePassed {
		t.Fatalf("phase one %s", f.state().Phases[0].Status)
	}
}

// A lead who asked for a two-person override can't approve it either.
func TestTwoPersonLeadCannotApproveOwn(t *testing.T) {
	f := newFixture(t, policyRunbook("two-person"))
	f.as(alice, RunPhase{Phase: "one"})
	f.as(alice, Override{Item: "b", Reason: "vendor confirmed"})
	f.refusedAs(alice, ApproveOverride{Item: "b"}, "a second person must approve it")
	f.as(dave, RejectOverride{Item: "b"})
	if st := f.state(); st.Pending != nil || f.item("b").Status != fold.ItemFailed {
		t.Fatalf("pending %+v, b %s", st.Pending, f.item("b").Status)
	}
}
