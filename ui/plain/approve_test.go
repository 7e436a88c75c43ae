package plain

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"runway/runbook/session"
	"runway/ui/internal/fixture"
	"runway/ui/internal/termtest"
)

// An interactive run whose override waits for a second person says how
// they approve and waits for them, rather than ending the run (and with
// it the only process they could approve through).
func TestWaitsForApprovalFromAnotherLogin(t *testing.T) {
	sess, log, _ := start(t, fixture.TwoPersonOverride)
	const hint = "approve from another login: runway approve S --audit A"
	var out termtest.Buffer
	code := make(chan int, 1)
	go func() {
		d := Driver{In: strings.NewReader("o\nvendor confirmed\n"), Out: &out, Interactive: true, Echo: true, Approve: hint}
		code <- d.Run(context.Background(), sess)
	}()
	// The second person approves once the run has said how, as they would.
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), "waits for a second person's approval") {
		select {
		case c := <-code:
			t.Fatalf("run ended with %d before the override was asked:\n%s", c, out.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no override was asked:\n%s", out.String())
		}
	}
	if _, err := sess.ApproveFrom(session.Peer{UID: os.Getuid() + 1, Login: "abe"}, ""); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-code:
		if c != ExitPassed {
			t.Fatalf("exit %d, want 0:\n%s", c, out.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the run did not go on after the approval")
	}
	if o := out.String(); !strings.Contains(o, "override of b waits for a second person's approval: "+hint) {
		t.Fatalf("output lacks the hint:\n%s", o)
	}
	if k := kinds(t, log, sess.ID()); !strings.Contains(k, "override.approved b") || !strings.Contains(k, "item.passed c") {
		t.Fatalf("log:\n%s", k)
	}
}
