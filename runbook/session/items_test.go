package session

import (
	"strings"
	"testing"
	"time"

	"runway/checks"
	"runway/runbook/fold"
)

const itemsRunbook = `
version: 1
name: t
title: test
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: flaky, title: Flaky, retries: 2, retry_delay: 10ms, command: {run: "echo x >> tries; test $(wc -l < tries) -ge 3"}}
      - {id: slow, title: Slow, timeout: 200ms, command: {run: "sleep 20"}}
      - id: backups
        title: Backups restorable
        critical: true
        role: dba
        manual: {expect: "restore test passed", observe: true}
      - {id: optional, title: Optional, manual: {expect: "looks fine"}}
      - {id: last, title: Last, command: {run: "echo done"}}
`

func TestRetriesTimeoutsAndSignOffs(t *testing.T) {
	f := newFixture(t, itemsRunbook)
	f.do(RunPhase{Phase: "one"})

	flaky := f.item("flaky")
	if flaky.Status != fold.ItemPassed || flaky.Attempt != 3 {
		t.Fatalf("flaky: %s after attempt %d, want passed on 3", flaky.Status, flaky.Attempt)
	}
	if n := count(f.kinds(), "item.retrying flaky"); n != 2 {
		t.Fatalf("%d retrying events, want 2: %v", n, f.kinds())
	}
	if n := count(f.kinds(), "item.started flaky"); n != 3 {
		t.Fatalf("%d started events, want 3", n)
	}
	slow := f.item("slow")
	if slow.Status != fold.ItemFailed || !strings.Contains(slow.Summary, "timed out") {
		t.Fatalf("slow: %s %q, want failed by the timeout", slow.Status, slow.Summary)
	}
	// The run stops at the manual item, which waits for its sign-off.
	if got := f.item("backups").Status; got != fold.ItemAwaiting {
		t.Fatalf("backups is %s", got)
	}
	now := time.Now()
	f.refused(SignOff{Item: "backups", SignOff: checks.SignOff{Verdict: checks.Pass, Role: "dba", At: now}}, "observation is required")
	f.refused(SignOff{Item: "backups", SignOff: checks.SignOff{Verdict: checks.Pass, Role: "ops", Observation: "ok", At: now}}, "role dba must sign")
	f.refused(SignOff{Item: "backups", SignOff: checks.SignOff{Verdict: checks.Skip, Reason: "later", At: now}}, "cannot be skipped")
	f.refused(SignOff{Item: "last", SignOff: checks.SignOff{Verdict: checks.Pass}}, "not a manual sign-off")
	f.do(SignOff{Item: "backups", Actor: "bob", SignOff: checks.SignOff{Verdict: checks.Pass, Role: "dba", Observation: "restored 1,204 rows", At: now}})
	b := f.item("backups")
	if b.Status != fold.ItemPassed || b.SignOff == nil || b.SignOff.Operator != "bob" || b.SignOff.Observation != "restored 1,204 rows" {
		t.Fatalf("backups: %s %+v", b.Status, b.SignOff)
	}

	// The phase run goes on after the sign-off, to the next manual item.
	if got := f.item("optional").Status; got != fold.ItemAwaiting {
		t.Fatalf("after the sign-off the phase run did not go on: optional is %s", got)
	}
	f.refused(Skip{Item: "optional"}, "needs a reason")
	f.do(SignOff{Item: "optional", SignOff: checks.SignOff{Verdict: checks.Skip, Reason: "not today", At: now}})
	if it := f.item("optional"); it.Status != fold.ItemSkipped || it.Skip != "not today" {
		t.Fatalf("optional: %s %q", it.Status, it.Skip)
	}
	// ... and after the skip, to the end of the phase.
	if st := f.state(); st.Status != fold.StatusPassed || f.item("last").Summary == "" {
		t.Fatalf("status %s, last %+v", st.Status, f.item("last"))
	}
	if st := f.state(); st.Refused != 5 {
		t.Fatalf("%d refusals recorded, want 5", st.Refused)
	}
}

func TestItemsRunInOrder(t *testing.T) {
	f := newFixture(t, itemsRunbook)
	f.refused(RunItem{Phase: "one", Item: "slow"}, "flaky comes first")
	f.refused(RunItem{Phase: "one", Item: "nope"}, "no item")
	f.refused(RunPhase{Phase: "nope"}, "no phase")
	f.do(RunItem{Phase: "one", Item: "flaky"})
	if f.item("flaky").Status != fold.ItemPassed || f.item("slow").Status != fold.ItemPending {
		t.Fatal("RunItem ran more than its item")
	}
	f.do(Skip{Item: "slow", Reason: "known slow"})
	f.do(RunItem{Phase: "one", Item: "backups"})
	if f.item("backups").Status != fold.ItemAwaiting {
		t.Fatal("a manual item did not start waiting for its sign-off")
	}
	f.refused(RunItem{Phase: "one", Item: "backups"}, "waiting for its sign-off")
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}
