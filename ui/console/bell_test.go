package console

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"runway/runbook/session"
)

// osc2 is the terminal-title sequence bubbletea writes for title t.
func osc2(t string) string { return "\x1b]2;" + t + "\a" }

// TestStopRingsAndTitles drives the console as a program: a stop puts the
// state in the terminal title and rings the bell once (BEL right after the
// title's sequence); clearing it titles the terminal "running" again with
// no bell.
func TestStopRingsAndTitles(t *testing.T) {
	f := opened()
	f.react = script
	m := New(f, Options{Renderer: asciiRenderer(), Operator: "alice", AuditPath: "runway.db", Now: func() time.Time { return clock }})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { _ = tm.Quit() })
	var seen bytes.Buffer
	wait := func(what string, n int) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			seen.Write(b)
			return bytes.Count(seen.Bytes(), []byte(what)) >= n
		}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	}
	running := osc2("runway ▶ running")
	wait(running, 1)
	// A stop on a non-critical item: its failure alone rings nothing, so
	// the one bell is the stop's, whenever the console reads the state.
	stopTitle := osc2("runway ⏸ STOPPED preparation/disk")
	f.emit("alice", session.KindPhaseStarted, "preparation", "", nil)
	f.emit("alice", session.KindItemStarted, "preparation", "disk", session.StartedPayload{Attempt: 1})
	f.emit("alice", session.KindItemFailed, "preparation", "disk", session.ResultPayload{Attempt: 1, Summary: "df failed"})
	f.emit("alice", session.KindPhaseHalted, "preparation", "", nil)
	f.emit("alice", session.KindStopTriggered, "preparation", "disk", session.StopPayload{Reason: "df failed", Choices: []string{"retry", "skip"}})
	wait(stopTitle+"\a", 1)
	f.emit("alice", session.KindItemStarted, "preparation", "disk", session.StartedPayload{Attempt: 2})
	f.emit("alice", session.KindStopCleared, "preparation", "disk", session.StopPayload{Reason: "retried"})
	f.emit("alice", session.KindItemPassed, "preparation", "disk", session.ResultPayload{Attempt: 2, Summary: "ok"})
	wait(running, 2)
	out := seen.String()
	if n := strings.Count(out, stopTitle+"\a"); n != 1 {
		t.Errorf("the stop rang %d times, want 1:\n%q", n, out)
	}
	if strings.Contains(out, running+"\a") {
		t.Errorf("clearing the stop rang the bell:\n%q", out)
	}
	if strings.Count(out, "\a\a") != 1 {
		t.Errorf("bells: %d, want 1:\n%q", strings.Count(out, "\a\a"), out)
	}
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
}

// TestReplayIsQuiet: a replay's stops happened long ago: no bell, no title.
func TestReplayIsQuiet(t *testing.T) {
	f := opened()
	m := New(f, Options{Renderer: asciiRenderer(), Observer: true, Mode: "replay", Now: func() time.Time { return clock }})
	m.st = stopped().State()
	if cmd := m.signal(); cmd != nil {
		t.Fatalf("a replay signals: %v", cmd())
	}
	if cmd := m.initialTitle(); cmd != nil {
		t.Fatalf("a replay titles the terminal: %v", cmd())
	}
}

// TestAlarmsOncePerEvent: each new stop, critical failure and approval
// request rings once; the same state again, or a non-critical failure,
// does not; a watcher's console (observer) rings as the lead's does.
func TestAlarmsOncePerEvent(t *testing.T) {
	f := opened()
	m := New(f, Options{Renderer: asciiRenderer(), Observer: true, Now: func() time.Time { return clock }})
	ring := func(st session.State) bool {
		m.st = st
		cmd := m.signal()
		if cmd == nil {
			return false
		}
		msg := cmd()
		return strings.HasSuffix(fmt.Sprint(msg), "\a") // the title's OSC ends with BEL: a second one rings
	}
	f.emit("alice", session.KindPhaseStarted, "preparation", "", nil)
	f.emit("alice", session.KindItemFailed, "preparation", "disk", session.ResultPayload{Attempt: 1, Summary: "df failed"})
	if ring(f.State()) {
		t.Error("a non-critical failure rang")
	}
	f.emit("alice", session.KindItemStarted, "preparation", "target-up", session.StartedPayload{Attempt: 1})
	f.emit("alice", session.KindItemFailed, "preparation", "target-up", session.ResultPayload{Attempt: 1, Summary: "refused"})
	if !ring(f.State()) {
		t.Error("a critical failure did not ring")
	}
	if ring(f.State()) {
		t.Error("the same state rang twice")
	}
	// The stop that failure triggers is the same event: the title changes, no second bell.
	f.emit("alice", session.KindStopTriggered, "preparation", "target-up", session.StopPayload{Reason: "refused", Choices: []string{"retry"}})
	if ring(f.State()) || m.WindowTitle() != "runway ⏸ STOPPED preparation/target-up" {
		t.Errorf("the stop of a failure already signalled rang again, or title %q", m.WindowTitle())
	}
	// A retry that fails again is a new event.
	f.emit("alice", session.KindStopCleared, "preparation", "target-up", session.StopPayload{Reason: "retry"})
	f.emit("alice", session.KindItemStarted, "preparation", "target-up", session.StartedPayload{Attempt: 2})
	if ring(f.State()) || m.WindowTitle() != "runway ▶ running" {
		t.Errorf("a retry rang, or title %q", m.WindowTitle())
	}
	f.emit("alice", session.KindItemFailed, "preparation", "target-up", session.ResultPayload{Attempt: 2, Summary: "refused"})
	if !ring(f.State()) {
		t.Error("the second failure did not ring")
	}
	// An approval request rings and titles the terminal with the waiting state.
	g := stopped()
	m.st = g.State()
	m.signal()
	g.emit("lea", session.KindOverrideRequested, "pilot", "verify-orders", session.OverridePayload{Reason: "known", Policy: "two-person", RequestedBy: "lea"})
	if !ring(g.State()) || m.WindowTitle() != "runway ⚑ WAITING FOR APPROVER pilot/verify-orders" {
		t.Errorf("an approval request did not ring, or title %q", m.WindowTitle())
	}
}
