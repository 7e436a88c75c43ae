package session

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"runway/runbook/fold"
)

const holdRunbook = `
version: 1
name: t
title: test
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    rollback_point: one_done
    items:
      - {id: first, title: First, command: {run: "echo first"}}
      - {id: gate, title: Gate, critical: true, command: {run: "test -e gate.ok"}}
      - {id: sign, title: Sign, manual: {expect: "fine"}}
      - {id: last, title: Last, command: {run: "echo last"}}
  - id: two
    title: Two
    risk: low
    expected: 1h
    items:
      - {id: flaky, title: Flaky, retries: 1, command: {run: "echo again >> tries; test $(wc -l < tries) -ge 2"}}
      - {id: end, title: End, command: {run: "echo end"}}
    rollback:
      - {id: forget, title: Forget the tries, command: {run: "rm -f tries"}}
`

// running reports whether the state shows anything running: an item or a
// rollback.
func running(st *fold.State) bool {
	if st.Rollback != nil && st.Rollback.Running {
		return true
	}
	for _, ph := range st.Phases {
		for _, it := range ph.Items {
			if it.Status == fold.ItemRunning {
				return true
			}
		}
	}
	return false
}

// watchClaims checks, on the core after every request of the session, that
// the session is idle exactly when its state shows nothing running, and
// returns the disagreements seen.
func watchClaims(t *testing.T, f *fixture) func() []string {
	var mu sync.Mutex
	var bad []string
	hook := func(s *Session) {
		if s != f.sess {
			return
		}
		st := &s.st // the core is the only writer
		if run, idle := running(st), s.Idle(); run == idle {
			mu.Lock()
			bad = append(bad, fmt.Sprintf("event %d: state shows running=%v, session idle=%v", st.Seq, run, idle))
			mu.Unlock()
		}
	}
	afterRequest.Store(&hook)
	t.Cleanup(func() { afterRequest.Store(nil) })
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), bad...)
	}
}

// The session is busy exactly while its state shows something running,
// after every request: a phase run's verdicts and its next item's start are
// one request, and the request that records a run's last event (the phase
// passed, a stop, a sign-off awaited, a rollback finished) also ends the
// run. So a lead who acts on the screen the moment it shows a stop, a pass
// or a sign-off is never refused with "something is already running".
func TestIdleAgreesWithTheStateAfterEveryRequest(t *testing.T) {
	f := newFixture(t, holdRunbook)
	bad := watchClaims(t, f)

	f.do(RunPhase{Phase: "one"}) // first passes, gate fails: a stop
	if st := f.state(); st.Stop == nil || f.item("gate").Status != fold.ItemFailed {
		t.Fatalf("gate %s, stop %v: want the phase stopped at gate", f.item("gate").Status, st.Stop)
	}
	if err := os.WriteFile(filepath.Join(f.dir, "gate.ok"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	f.do(Retry{Item: "gate"})    // passes
	f.do(RunPhase{Phase: "one"}) // on to the sign-off
	if got := f.item("sign").Status; got != fold.ItemAwaiting {
		t.Fatalf("sign is %s, want awaiting", got)
	}
	f.do(SignOff{Item: "sign", SignOff: pass()}) // last runs, the phase passes
	if st := f.state(); st.Phases[0].Status != fold.PhasePassed {
		t.Fatalf("phase one is %s, want passed", st.Phases[0].Status)
	}
	f.do(RunPhase{Phase: "two"}) // flaky passes on its retry
	f.do(Rollback{Point: "one_done"})
	f.do(RunItem{Phase: "two", Item: "flaky"}) // fails once again, then passes
	f.do(RunPhase{Phase: "two"})
	if st := f.state(); !st.AllPassed() {
		t.Fatalf("not all passed: %+v", st.Phases)
	}
	if b := bad(); len(b) > 0 {
		t.Fatalf("the session's busy state and its state disagree after %d requests:\n%s", len(b), strings.Join(b, "\n"))
	}
}

// A lead who overrides a stop the moment the state shows it, and runs the
// phase on the moment the override shows, is not refused: the run that hit
// the stop ended in the request that recorded the stop.
func TestActingAtOnceOnAStopIsAccepted(t *testing.T) {
	f := newFixture(t, holdRunbook)
	wake, stop := f.sess.Subscribe()
	defer stop()
	if err := f.sess.Do(RunPhase{Phase: "one"}); err != nil {
		t.Fatal(err)
	}
	waitState(t, wake, f.sess, "the stop at gate", func(st fold.State) bool { return st.Stop != nil })
	if err := f.sess.Do(Override{Item: "gate", Reason: "checked by hand"}); err != nil {
		t.Fatalf("override the moment the stop shows: %v", err)
	}
	if err := f.sess.Do(RunPhase{Phase: "one"}); err != nil {
		t.Fatalf("run the phase on the moment the override shows: %v", err)
	}
	waitState(t, wake, f.sess, "sign awaiting", func(st fold.State) bool { return st.Item("one", "sign").Status == fold.ItemAwaiting })
	if err := f.sess.Do(SignOff{Item: "sign", SignOff: pass()}); err != nil {
		t.Fatal(err)
	}
	waitState(t, wake, f.sess, "phase one passed", func(st fold.State) bool { return st.Phases[0].Status == fold.PhasePassed })
	if err := f.sess.Do(RunPhase{Phase: "two"}); err != nil {
		t.Fatalf("run the next phase the moment the last one shows passed: %v", err)
	}
}

// waitState waits on the session's wake-ups until cond holds for its state.
func waitState(t *testing.T, wake <-chan struct{}, s *Session, what string, cond func(fold.State) bool) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for !cond(s.State()) {
		select {
		case <-wake:
		case <-deadline:
			t.Fatalf("after 30s, no %s: %+v", what, s.State())
		}
	}
}
