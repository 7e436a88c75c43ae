package session

import (
	"errors"
	"strings"
	"testing"

	"runway/runbook/event"
	"runway/runbook/fold"
)

// An engine a critical guard paused stays paused until the lead has
// acknowledged the guard; a pause or resume pressed twice records once;
// a lead over serve acknowledges as the console's lead does.
func TestGuardPausedEngineWaitsForAcknowledgement(t *testing.T) {
	dir := t.TempDir()
	seedOrders(t, dir, 100000)
	execSQL(t, dir, "health.db", `CREATE TABLE health (errors INTEGER); INSERT INTO health VALUES (0)`)
	g := newGuardFixture(t, dir, guardRunbook, nil)
	if err := g.sess.Do(RunPhase{Phase: "one"}); err != nil {
		t.Fatal(err)
	}
	g.until("copy running", func(fold.State) bool { return g.sess.controls.get("copy-orders") != nil })
	execSQL(t, dir, "health.db", `UPDATE health SET errors = 5`)
	g.evaluate("errors")
	g.until("stop", func(st fold.State) bool { return st.Stop != nil })

	var refused *RefusedError
	err := g.sess.Do(ResumeEngine{Item: "copy-orders"})
	if !errors.As(err, &refused) || !strings.Contains(refused.Reason, "guard errors is critical and not acknowledged") {
		t.Fatalf("resume while the guard's stop holds: %v", err)
	}
	if !g.sess.controls.get("copy-orders").Paused() {
		t.Fatal("the copy runs again while the guard's stop holds")
	}
	if err := g.sess.Do(PauseEngine{Item: "copy-orders"}); !errors.As(err, &refused) {
		t.Errorf("a second pause was not refused: %v", err)
	}

	lead := Participant{Name: "lena", Role: RoleLead}
	if err := g.sess.DoAs(lead, TakeControl{}); err != nil {
		t.Fatal(err)
	}
	if err := g.sess.DoAs(lead, AcknowledgeGuard{Guard: "errors", Reason: "batch job"}); err != nil {
		t.Fatalf("a lead over serve could not acknowledge: %v", err)
	}
	if err := g.sess.DoAs(lead, ResumeEngine{Item: "copy-orders"}); err != nil {
		t.Fatal(err)
	}
	if err := g.sess.DoAs(lead, ResumeEngine{Item: "copy-orders"}); !errors.As(err, &refused) {
		t.Errorf("a second resume was not refused: %v", err)
	}
	resumes := 0
	for _, e := range g.events() {
		if e.Kind == event.KindEngineControl && strings.Contains(string(e.Payload), `"resume"`) {
			resumes++
		}
		if e.Kind == event.KindGuardAcknowledged && e.Actor != "lena" {
			t.Errorf("acknowledged by %q, want lena", e.Actor)
		}
	}
	if resumes != 1 {
		t.Errorf("%d resume events, want 1", resumes)
	}
}
