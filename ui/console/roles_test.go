package console

import (
	"strings"
	"testing"

	"runway/runbook/event"
	"runway/runbook/fold"
	"runway/runbook/session"
)

// as is a Can for participant p of a session whose operator is alice,
// from the core's own rule.
func as(p session.Participant) func(fold.State, session.Action) error {
	return func(st fold.State, a session.Action) error { return session.Allowed(st, "alice", p, a) }
}

func footerOf(m Model) string {
	lines := strings.Split(m.View(), "\n")
	return lines[len(lines)-1]
}

// TestApproverKeys: an approver is offered only approve, notes and the views;
// the work keys are disabled, pressing one says why and sends nothing, and
// the stop banner names the lead's choices instead of keys.
func TestApproverKeys(t *testing.T) {
	f := stopped()
	lead := newModel(t, f, 80, 24)
	if ft := footerOf(lead); !strings.Contains(ft, "r retry") || !strings.Contains(ft, "o override") {
		t.Fatalf("the lead's footer lacks retry or override: %q", ft)
	}
	carol := session.Participant{Name: "carol", Role: session.RoleApprover}
	m := withOptions(t, f, 80, 24, func(o *Options) { o.Operator = "carol"; o.Can = as(carol) })
	k := m.keys
	for _, b := range []struct {
		name string
		on   bool
	}{
		{"run", k.Run.Enabled()}, {"run phase", k.RunPhase.Enabled()}, {"retry", k.Retry.Enabled()},
		{"override", k.Override.Enabled()}, {"rollback", k.Rollback.Enabled()}, {"skip", k.Skip.Enabled()},
	} {
		if b.on {
			t.Errorf("%s enabled for an approver", b.name)
		}
	}
	if !k.Note.Enabled() || !k.Risks.Enabled() || !k.Notes.Enabled() || !k.Emergency.Enabled() {
		t.Error("an approver lost note or a view")
	}
	ft := footerOf(m)
	for _, no := range []string{"retry", "override", "run", "rollback", "skip"} {
		if strings.Contains(ft, no) {
			t.Errorf("approver's footer offers %s: %q", no, ft)
		}
	}
	if !strings.Contains(ft, "n note") {
		t.Errorf("approver's footer lacks note: %q", ft)
	}
	if v := m.View(); !strings.Contains(v, "the lead may: retry") || strings.Contains(v, "r retry") {
		t.Errorf("approver's stop banner offers keys:\n%s", v)
	}
	m, _ = press(t, m, "r")
	if v := m.View(); !strings.Contains(v, "carol is an approver") || len(f.actions) > 0 {
		t.Errorf("r by an approver: actions %v\n%s", f.actions, v)
	}
	// A pending override is the approver's to decide.
	f.emit("bob", event.KindOverrideRequested, "pilot", "verify-orders", event.OverridePayload{
		Reason: "known drift", RequestedBy: "bob", Policy: "two-person",
	})
	m = refresh(m, f)
	if !m.keys.Approve.Enabled() || !strings.Contains(footerOf(m), "approve") {
		t.Errorf("approve not offered to an approver: %q", footerOf(m))
	}
}

// TestDriverWithoutControl: the predicate disables every key that changes
// the work, with the core's reason; handing control over enables them.
func TestDriverWithoutControl(t *testing.T) {
	f := prepared()
	bob := session.Participant{Name: "bob", Role: session.RoleDriver}
	m := withOptions(t, f, 80, 24, func(o *Options) { o.Operator = "bob"; o.Can = as(bob) })
	for _, b := range m.keys.Mutating() {
		if b.Enabled() && b.Help().Desc != "note" {
			t.Errorf("%s enabled for a driver without control", b.Help().Desc)
		}
	}
	m, _ = press(t, m, "enter")
	if v := m.View(); !strings.Contains(v, "alice has control: ask them or a lead to hand it to bob") || len(f.actions) > 0 {
		t.Errorf("enter by a driver without control: actions %v\n%s", f.actions, v)
	}
	f.emit("alice", event.KindControlHanded, "", "", event.ControlHandPayload{From: "alice", To: "bob"})
	m = refresh(m, f)
	if !m.keys.Run.Enabled() || !strings.Contains(footerOf(m), "enter run") {
		t.Errorf("run not offered once bob has control: %q", footerOf(m))
	}
}

// TestLeaveOnly: a participant's quit only leaves: while work runs it asks
// with words that say nothing stops, and it never closes the session.
func TestLeaveOnly(t *testing.T) {
	f := copying()
	m := withOptions(t, f, 80, 24, func(o *Options) { o.LeaveOnly = true })
	if ft := footerOf(m); !strings.Contains(ft, "q leave") {
		t.Errorf("footer = %q, want q leave", ft)
	}
	m, _ = press(t, m, "q")
	if v := m.View(); !strings.Contains(v, "Leave this session (the lead's session and engines go on)") {
		t.Fatalf("no leave confirmation:\n%s", v)
	}
	next, cmd := m.Update(keyMsg("y"))
	if cmd == nil || !isQuit(cmd()) || next.(Model).quitting {
		t.Fatal("y does not leave at once")
	}
	g := opened()
	m = withOptions(t, g, 80, 24, func(o *Options) { o.LeaveOnly = true })
	if _, cmd = m.Update(keyMsg("q")); cmd == nil || !isQuit(cmd()) {
		t.Fatal("q when idle does not leave")
	}
	if f.closed != 0 || g.closed != 0 {
		t.Fatalf("leaving closed the session (%d, %d times)", f.closed, g.closed)
	}
}
