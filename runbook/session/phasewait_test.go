package session

import (
	"encoding/json"
	"testing"
	"time"

	"runway/checks"
	"runway/runbook/audit"
	"runway/runbook/event"
	"runway/runbook/fold"
)

const signOffRunbook = `
version: 1
name: t
title: test
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: before, title: Before, command: {run: "echo before"}}
      - {id: check, title: Check, critical: true, manual: {expect: "all green"}}
      - {id: after, title: After, command: {run: "echo after >> after.txt"}}
      - {id: look, title: Look, manual: {expect: "fine"}}
      - {id: end, title: End, command: {run: "echo end"}}
  - id: two
    title: Two
    risk: low
    expected: 1h
    items:
      - {id: next, title: Next, command: {run: "echo next"}}
`

func pass() checks.SignOff { return checks.SignOff{Verdict: checks.Pass, At: time.Now()} }

// A phase run that reached a manual item goes on with the rest of the phase
// once it is signed off (pass, skip, or a non-critical fail), without the
// lead asking again; it does not run into the next phase.
func TestPhaseRunGoesOnAfterASignOff(t *testing.T) {
	f := newFixture(t, signOffRunbook)
	f.do(RunPhase{Phase: "one"})
	if got := f.item("check").Status; got != fold.ItemAwaiting || f.item("after").Status != fold.ItemPending {
		t.Fatalf("check %s, after %s: want the run waiting at check", got, f.item("after").Status)
	}
	f.do(SignOff{Item: "check", SignOff: pass()})
	if got := f.item("after").Status; got != fold.ItemPassed {
		t.Fatalf("after the sign-off, after is %s: the phase run did not go on", got)
	}
	if got := f.item("look").Status; got != fold.ItemAwaiting {
		t.Fatalf("look is %s, want the run waiting at the next manual item", got)
	}
	// A non-critical fail is a warning: the run goes on to the end.
	f.do(SignOff{Item: "look", SignOff: checks.SignOff{Verdict: checks.Fail, At: time.Now()}})
	st := f.state()
	if st.Phases[0].Status != fold.PhasePassed || f.item("end").Status != fold.ItemPassed {
		t.Fatalf("phase one %s, end %s: want the phase passed", st.Phases[0].Status, f.item("end").Status)
	}
	if f.item("next").Status != fold.ItemPending || st.Phases[1].Status != fold.PhaseReady {
		t.Fatalf("phase two %s: a phase run went past its phase", st.Phases[1].Status)
	}
	if count(f.kinds(), "item.started after") != 1 || st.Refused != 0 {
		t.Fatalf("after ran %d times, %d refusals: %v", count(f.kinds(), "item.started after"), st.Refused, f.kinds())
	}
}

// A skip of the awaited item lets the run go on too; an item signed off
// that no phase run waited for starts nothing.
func TestPhaseRunGoesOnAfterASkipOnly(t *testing.T) {
	f := newFixture(t, signOffRunbook)
	f.do(RunItem{Phase: "one", Item: "before"})
	f.do(RunItem{Phase: "one", Item: "check"})
	f.do(SignOff{Item: "check", SignOff: pass()})
	if got := f.item("after").Status; got != fold.ItemPending {
		t.Fatalf("a single item's sign-off ran the phase on: after is %s", got)
	}
	f.do(RunPhase{Phase: "one"})
	if got := f.item("look").Status; got != fold.ItemAwaiting {
		t.Fatalf("look is %s", got)
	}
	f.do(Skip{Item: "look", Reason: "not needed today"})
	if st := f.state(); st.Phases[0].Status != fold.PhasePassed {
		t.Fatalf("phase one is %s after the skip", st.Phases[0].Status)
	}
}

// A fail sign-off of a critical item stops the phase run; a retry lifts the
// stop: the phase runs again and the item waits with no stale verdict.
func TestCriticalFailSignOffStopsAndRetryStartsClean(t *testing.T) {
	f := newFixture(t, signOffRunbook)
	f.do(RunPhase{Phase: "one"})
	f.do(SignOff{Item: "check", SignOff: checks.SignOff{Verdict: checks.Fail, At: time.Now()}})
	st := f.state()
	if st.Stop == nil || st.Phases[0].Status != fold.PhaseHalted || f.item("after").Status != fold.ItemPending {
		t.Fatalf("stop %+v, phase %s, after %s: want halted before after", st.Stop, st.Phases[0].Status, f.item("after").Status)
	}
	failed := f.item("check")
	if failed.Summary == "" || failed.SignOff == nil || !failed.Critical {
		t.Fatalf("the failed sign-off is not shown: %+v", failed)
	}

	f.do(Retry{Item: "check"})
	st = f.state()
	it := f.item("check")
	if st.Stop != nil || st.Phases[0].Status != fold.PhaseRunning || st.Status != fold.StatusRunning {
		t.Fatalf("after retry: stop %+v, phase %s, session %s", st.Stop, st.Phases[0].Status, st.Status)
	}
	if it.Status != fold.ItemAwaiting || it.Summary != "" || it.SignOff != nil || it.Critical || it.Output != "" {
		t.Fatalf("after retry the item shows a stale result: %+v", it)
	}
	if !f.has("stop.cleared check") {
		t.Fatalf("the retry did not lift the stop: %v", f.kinds())
	}

	// Failing again triggers the stop anew.
	f.do(SignOff{Item: "check", SignOff: checks.SignOff{Verdict: checks.Fail, At: time.Now()}})
	if st := f.state(); st.Stop == nil || st.Phases[0].Status != fold.PhaseHalted {
		t.Fatalf("second fail: stop %+v, phase %s", st.Stop, st.Phases[0].Status)
	}
	f.do(Retry{Item: "check"})
	f.do(SignOff{Item: "check", SignOff: pass()})
	if st := f.state(); st.Stop != nil || f.item("check").Status != fold.ItemPassed || st.Phases[0].Status != fold.PhaseRunning {
		t.Fatalf("after the passing retry: stop %+v, check %s, phase %s", st.Stop, f.item("check").Status, st.Phases[0].Status)
	}
	// The stopped run ended with the stop: the lead runs the phase again.
	if got := f.item("after").Status; got != fold.ItemPending {
		t.Fatalf("after is %s: a run the stop ended went on by itself", got)
	}
	f.do(RunPhase{Phase: "one"})
	if got := f.item("after").Status; got != fold.ItemPassed {
		t.Fatalf("after is %s", got)
	}
}

// A re-started item (a retry of a failed check) shows no stale verdict
// while it runs: the reducer alone, from events.
func TestStartedClearsTheLastVerdict(t *testing.T) {
	rb := loadRunbook(t, t.TempDir(), signOffRunbook, nil)
	b := &eventsBuilder{}
	b.add(event.KindItemStarted, "one", "before", event.StartedPayload{Kind: "command", Attempt: 1})
	b.add(event.KindItemFailed, "one", "before", event.ResultPayload{Attempt: 1, Summary: "exit 1", Output: "boom", Critical: true})
	st := fold.Fold(rb, b.events)
	if it := st.Item("one", "before"); it.Summary != "exit 1" || !it.Critical {
		t.Fatalf("failed: %+v", it)
	}
	b.add(event.KindItemStarted, "one", "before", event.StartedPayload{Kind: "command", Attempt: 2})
	st = fold.Fold(rb, b.events)
	if it := st.Item("one", "before"); it.Status != fold.ItemRunning || it.Summary != "" || it.Output != "" || it.Critical {
		t.Fatalf("re-started: %+v", it)
	}
}

// eventsBuilder makes a session's events by hand, for reducer tests.
type eventsBuilder struct{ events []audit.Event }

func (b *eventsBuilder) add(kind, phase, item string, payload any) {
	raw, _ := json.Marshal(payload)
	n := int64(len(b.events) + 1)
	b.events = append(b.events, audit.Event{Seq: n, Session: "s", Kind: kind, Phase: phase, Item: item,
		Actor: "alice", Payload: raw, Time: time.Unix(1_800_000_000+n, 0)})
}
