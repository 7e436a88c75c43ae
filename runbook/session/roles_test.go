package session

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"runway/checks"
	"runway/runbook/audit"
	"runway/runbook/event"
	"runway/runbook/fold"
)

var (
	alice = Participant{Name: "alice", Role: RoleLead} // the fixture's operator
	bob   = Participant{Name: "bob", Role: RoleDriver}
	carol = Participant{Name: "carol", Role: RoleApprover}
	olive = Participant{Name: "olive", Role: RoleObserver}
	dave  = Participant{Name: "dave", Role: RoleLead}
)

// as runs an action for p that must be accepted, and waits for what it started.
func (f *fixture) as(p Participant, a Action) {
	f.t.Helper()
	if err := f.sess.DoAs(p, a); err != nil {
		f.t.Fatalf("%s as %s: %v", a.ActionName(), p, err)
	}
	f.idle()
}

// refusedAs runs an action for p that must be refused with a reason
// containing want, and checks the refusal was recorded under p's name.
func (f *fixture) refusedAs(p Participant, a Action, want string) {
	f.t.Helper()
	before := f.state().Refused
	err := f.sess.DoAs(p, a)
	var re *RefusedError
	if err == nil || !asRefused(err, &re) || !strings.Contains(re.Reason, want) {
		f.t.Fatalf("%s as %s: got %v, want a refusal containing %q", a.ActionName(), p, err, want)
	}
	f.idle()
	if got := f.state().Refused; got != before+1 {
		f.t.Fatalf("%s as %s: refused count %d, want %d", a.ActionName(), p, got, before+1)
	}
	last := f.events()[len(f.events())-1]
	var rp event.RefusedPayload
	if err := json.Unmarshal(last.Payload, &rp); err != nil || last.Kind != event.KindActionRefused ||
		last.Actor != p.Name || rp.Action != a.ActionName() || rp.Reason != re.Reason {
		f.t.Fatalf("last event %s by %s %s, want action.refused by %s for %q", last.Kind, last.Actor, last.Payload, p.Name, a.ActionName())
	}
}

func asRefused(err error, re **RefusedError) bool {
	r, ok := err.(*RefusedError)
	*re = r
	return ok
}

func (f *fixture) events() []audit.Event {
	f.t.Helper()
	events, err := f.log.Events(context.Background(), f.sess.ID(), 0)
	if err != nil {
		f.t.Fatal(err)
	}
	return events
}

// handed lists the control.handed events as "actor: from->to".
func (f *fixture) handed() []string {
	var out []string
	for _, e := range f.events() {
		if e.Kind == event.KindControlHanded {
			var p event.ControlHandPayload
			_ = json.Unmarshal(e.Payload, &p)
			out = append(out, e.Actor+": "+p.From+"->"+p.To)
		}
	}
	return out
}

const manualRunbook = `
version: 1
name: t
title: test
procedures:
  fire: {escalate_after: 1h, steps: [call, fix]}
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: a, title: A, command: {run: "true"}}
      - {id: m, title: M, manual: {role: dba, expect: restore works}}
`

func TestObserverIsRefusedEverything(t *testing.T) {
	f := newFixture(t, manualRunbook)
	for _, a := range []Action{
		RunPhase{Phase: "one"}, RunItem{Phase: "one", Item: "a"}, Note{Text: "hello"},
		ApproveOverride{Item: "a"}, TakeControl{}, HandControl{To: bob}, OpenIncident{Procedure: "fire"},
		SetRate{Item: "a", Rate: 10}, Rollback{Point: "x"},
	} {
		f.refusedAs(olive, a, "olive is an observer")
	}
	// Nothing ran: the only events are the opening and the refusals.
	if st := f.state(); st.Phases[0].Status != fold.PhaseReady || st.Refused != 9 || len(st.Notes) != 0 {
		t.Fatalf("after an observer's attempts: phase %s, refused %d, notes %d", st.Phases[0].Status, st.Refused, len(st.Notes))
	}
}

func TestControlIsHeldByOne(t *testing.T) {
	f := newFixture(t, manualRunbook)
	// Nobody was handed control: the operator (the lead) holds it.
	f.refusedAs(bob, RunItem{Phase: "one", Item: "a"}, "alice has control: ask them or a lead to hand it to bob")
	f.refusedAs(carol, RunItem{Phase: "one", Item: "a"}, "approvers only approve or reject overrides")
	f.refusedAs(bob, TakeControl{}, "only a lead takes control")
	f.refusedAs(bob, HandControl{To: dave}, "alice has control: only they or a lead")
	f.refusedAs(alice, HandControl{To: carol}, "carol is an approver: control goes only to a lead or a driver")
	f.refusedAs(alice, HandControl{To: olive}, "control goes only to a lead or a driver")
	f.refusedAs(alice, TakeControl{}, "alice already has control")
	f.as(carol, Note{Text: "approver notes are fine"})

	f.as(alice, HandControl{To: bob})
	if st := f.state(); st.Controller != "bob" {
		t.Fatalf("controller %q after the handover, want bob", st.Controller)
	}
	f.refusedAs(alice, RunItem{Phase: "one", Item: "a"}, "bob has control: take it back first")
	f.as(bob, RunItem{Phase: "one", Item: "a", Actor: "mallory"}) // the actor given is overwritten
	f.as(bob, RunItem{Phase: "one", Item: "m"})
	f.as(bob, SignOff{Item: "m", SignOff: checks.SignOff{Operator: "mallory", Role: "dba", Verdict: checks.Pass}})
	if so := f.item("m").SignOff; so == nil || so.Operator != "bob" {
		t.Fatalf("sign-off %+v, want it signed by bob", so)
	}
	// A driver holding control may pass it on; a lead takes it back at any time.
	f.as(bob, HandControl{To: dave})
	f.as(alice, TakeControl{})
	f.refusedAs(bob, Note{Text: ""}, "a note needs text") // the action's own rules still apply
	f.refusedAs(dave, RunPhase{Phase: "one"}, "alice has control: take it back first")

	want := []string{"alice: alice->bob", "bob: bob->dave", "alice: dave->alice"}
	if got := f.handed(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("control.handed %v, want %v", got, want)
	}
	// Every event bob caused names him: the item he ran, its result, the sign-off.
	for _, e := range f.events() {
		if e.Item == "a" || e.Item == "m" {
			if e.Actor != "bob" {
				t.Fatalf("%s %s by %q, want bob", e.Kind, e.Item, e.Actor)
			}
		}
	}
	if st := f.state(); st.Controller != "alice" || !slices.Contains(st.Actors, "carol") {
		t.Fatalf("controller %q actors %v", st.Controller, st.Actors)
	}
}

func TestDoAsNeedsAName(t *testing.T) {
	f := newFixture(t, manualRunbook)
	if err := f.sess.DoAs(Participant{Role: RoleLead}, Note{Text: "x"}); err == nil {
		t.Fatal("an action without a participant was accepted")
	}
	if err := f.sess.DoAs(Participant{Name: "eve", Role: "boss"}, Note{Text: "x"}); err == nil || !strings.Contains(err.Error(), "no known role") {
		t.Fatalf("unknown role: %v", err)
	}
}
