package console

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"runway/runbook/event"
	"runway/runbook/session"
)

// script answers actions the way the session would, with real events: the
// preparation passes after a sign-off and a skip; in the pilot the critical
// verify fails and its two-person override waits for approval.
func script(f *fakeCore, a session.Action) {
	switch a := a.(type) {
	case session.RunPhase:
		f.emit(a.Actor, event.KindPhaseStarted, a.Phase, "", nil)
		switch a.Phase {
		case "preparation":
			pass(f, a.Phase, "target-up", "SELECT 1 = 1")
			f.emit(a.Actor, event.KindItemAwaiting, a.Phase, "backups", nil)
		case "pilot":
			pass(f, a.Phase, "copy-orders", "copied 250,000 rows")
			f.emit(a.Actor, event.KindItemStarted, a.Phase, "verify-orders", event.StartedPayload{Attempt: 1})
			f.emit(a.Actor, event.KindItemFailed, a.Phase, "verify-orders", event.ResultPayload{Attempt: 1, Summary: "3 rows differ"})
			f.emit(a.Actor, event.KindPhaseHalted, a.Phase, "", nil)
			f.emit(a.Actor, event.KindStopTriggered, a.Phase, "verify-orders", event.StopPayload{
				Reason: "3 rows differ", Choices: []string{"retry", "override", "rollback"}})
		}
	case session.SignOff:
		f.emit(a.Actor, event.KindItemPassed, "preparation", a.Item, event.ResultPayload{
			Summary: a.SignOff.Summary(),
			SignOff: &event.SignOffPayload{Operator: a.SignOff.Operator, Role: a.SignOff.Role, Observation: a.SignOff.Observation, At: f.now},
		})
	case session.Skip:
		f.emit(a.Actor, event.KindItemSkipped, "preparation", a.Item, event.SkipPayload{Reason: a.Reason})
		f.emit(a.Actor, event.KindPhasePassed, "preparation", "", nil)
		f.emit(a.Actor, event.KindRollbackPointSet, "preparation", "", event.RollbackPointPayload{Name: "preparation_complete"})
	case session.Override:
		f.emit(a.Actor, event.KindOverrideRequested, "pilot", a.Item, event.OverridePayload{Reason: a.Reason, Policy: "two-person", RequestedBy: a.Actor})
	}
}

// TestFlow drives the console as a program: keys in, screen out, through a
// sign-off, a skip, a failed critical item and an override request, then quits.
func TestFlow(t *testing.T) {
	f := opened()
	f.react = script
	m := New(f, Options{Renderer: asciiRenderer(), Operator: "alice", AuditPath: "runway.db", Now: func() time.Time { return clock }})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { _ = tm.Quit() })
	wait := waitShown(t, tm.Output())

	wait("PHASES", "enter run")
	tm.Type("R")
	wait("Run phase preparation", "No, cancel")
	tm.Send(keyMsg("tab"))
	tm.Send(keyMsg("enter"))
	wait("awaiting")
	tm.Type("s")
	wait("Sign off", "You sign as alice in the role dba")
	tm.Type("restored 1,204,331 orders")
	tm.Send(keyMsg("enter"))
	wait("sign-off of backups (pass) recorded")
	tm.Type("x")
	wait("Skip a non-critical item")
	tm.Type("checked by hand")
	tm.Send(keyMsg("enter"))
	wait("skip of disk recorded", "ITEMS · Pilot")
	tm.Type("R")
	wait("Run phase pilot")
	tm.Send(keyMsg("tab"))
	tm.Send(keyMsg("enter"))
	wait("STOPPED · pilot/verify-orders: 3 rows differ")
	tm.Type("o")
	wait("Override a failed critical item")
	tm.Type("the 3 rows are test merchants")
	tm.Send(keyMsg("enter"))
	wait("Override pilot/verify-orders with the reason")
	tm.Send(keyMsg("tab"))
	tm.Send(keyMsg("enter"))
	wait("WAITING FOR AN APPROVER", "override of pilot/verify-orders")
	tm.Type("q")
	wait("Quit while stopped?")
	tm.Send(keyMsg("tab"))
	tm.Send(keyMsg("enter"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))

	final := tm.FinalModel(t).(Model)
	st := final.State()
	if st.Pending == nil || st.Pending.Reason != "the 3 rows are test merchants" {
		t.Errorf("pending override = %+v", st.Pending)
	}
	if got := st.Phases[0].Items[1].SignOff; got == nil || got.Observation != "restored 1,204,331 orders" {
		t.Errorf("sign-off = %+v", got)
	}
	if f.closed != 1 {
		t.Errorf("session closed %d times on quit, want 1", f.closed)
	}
	var names []string
	for _, a := range f.actions {
		names = append(names, a.ActionName())
	}
	if got, want := strings.Join(names, ","), "run phase,sign off,skip,run phase,override"; got != want {
		t.Errorf("actions = %s, want %s", got, want)
	}
}

// waitShown returns a wait that reads a program's output until it has
// shown every one of what. The deadline only bounds a wait: a loaded
// machine makes a test slower, not wrong.
func waitShown(t *testing.T, out io.Reader) func(what ...string) {
	return func(what ...string) {
		t.Helper()
		teatest.WaitFor(t, out, func(b []byte) bool {
			for _, w := range what {
				if !bytes.Contains(b, []byte(w)) {
					return false
				}
			}
			return true
		}, teatest.WithDuration(30*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	}
}
