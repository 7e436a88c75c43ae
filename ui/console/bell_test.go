package console

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"runway/runbook/event"
	"runway/runbook/fold"

	"github.com/charmbracelet/x/exp/teatest"
)

// osc2 is the terminal-title sequence for title t.
func osc2(t string) string { return "\x1b]2;" + t + "\a" }

// terminal is what the console signals to: a buffer safe for the
// program's goroutines.
type terminal struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (t *terminal) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.Write(p)
}

func (t *terminal) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}

// TestStopRingsAndTitles drives the console as a program: a stop puts the
// state in the terminal title and rings the bell once (BEL right after the
// title's sequence); clearing it titles the terminal "running" again with
// no bell.
func TestStopRingsAndTitles(t *testing.T) {
	f := opened()
	term := &terminal{}
	m := New(f, Options{Renderer: asciiRenderer(), Operator: "alice", AuditPath: "runway.db", Now: func() time.Time { return clock }, Signals: term})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { _ = tm.Quit() })
	wait := func(what string, n int) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for strings.Count(term.String(), what) < n {
			if time.Now().After(deadline) {
				t.Fatalf("after 10s, %d of %q in %q", strings.Count(term.String(), what), what, term.String())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	running := osc2("runway ▶ running")
	wait(running, 1)
	// A stop on a non-critical item: its failure alone rings nothing, so
	// the one bell is the stop's, whenever the console reads the state.
	stopTitle := osc2("runway ⏸ STOPPED preparation/disk")
	f.emit("alice", event.KindPhaseStarted, "preparation", "", nil)
	f.emit("alice", event.KindItemStarted, "preparation", "disk", event.StartedPayload{Attempt: 1})
	f.emit("alice", event.KindItemFailed, "preparation", "disk", event.ResultPayload{Attempt: 1, Summary: "df failed"})
	f.emit("alice", event.KindPhaseHalted, "preparation", "", nil)
	f.emit("alice", event.KindStopTriggered, "preparation", "disk", event.StopPayload{Reason: "df failed", Choices: []string{"retry", "skip"}})
	wait(stopTitle+"\a", 1)
	// A retry, in the order the session records it: the stop is cleared
	// before the next attempt starts (a stop held over a new attempt would
	// be a new event to ring for).
	f.emit("alice", event.KindStopCleared, "preparation", "disk", event.StopPayload{Reason: "retried"})
	f.emit("alice", event.KindItemStarted, "preparation", "disk", event.StartedPayload{Attempt: 2})
	f.emit("alice", event.KindItemPassed, "preparation", "disk", event.ResultPayload{Attempt: 2, Summary: "ok"})
	wait(running, 2)
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	out := term.String()
	if !strings.HasSuffix(out, running) {
		t.Errorf("the last title is not running: %q", out)
	}
	if n := strings.Count(out, "\a\a"); n != 1 || !strings.Contains(out, stopTitle+"\a") {
		t.Errorf("bells: %d, want 1, after the stop's title: %q", n, out)
	}
}

// signals runs the command signal returns and says what it wrote.
func signals(t *testing.T, m *Model, term *terminal) string {
	t.Helper()
	before := term.String()
	if cmd := m.signal(); cmd != nil {
		cmd()
	}
	return strings.TrimPrefix(term.String(), before)
}

// TestReplayIsQuiet: a replay's stops happened long ago: no bell, no title.
func TestReplayIsQuiet(t *testing.T) {
	term := &terminal{}
	m := New(opened(), Options{Renderer: asciiRenderer(), Observer: true, Mode: "replay", Now: func() time.Time { return clock }, Signals: term})
	m.st = stopped().State()
	if cmd := m.initialTitle(); cmd != nil {
		cmd()
	}
	if got := signals(t, &m, term); got != "" || term.String() != "" {
		t.Fatalf("a replay signals: %q", term.String())
	}
}

// TestAlarmsOncePerEvent: each new stop, critical failure and approval
// request rings once; the same state again, or a non-critical failure,
// does not; a watcher's console (observer) rings as the lead's does.
func TestAlarmsOncePerEvent(t *testing.T) {
	f := opened()
	term := &terminal{}
	m := New(f, Options{Renderer: asciiRenderer(), Observer: true, Now: func() time.Time { return clock }, Signals: term})
	ring := func(st fold.State) bool {
		m.st = st
		return strings.HasSuffix(signals(t, &m, term), "\a\a") // the title's OSC ends with BEL: a second one rings
	}
	f.emit("alice", event.KindPhaseStarted, "preparation", "", nil)
	f.emit("alice", event.KindItemFailed, "preparation", "disk", event.ResultPayload{Attempt: 1, Summary: "df failed"})
	if ring(f.State()) {
		t.Error("a non-critical failure rang")
	}
	f.emit("alice", event.KindItemStarted, "preparation", "target-up", event.StartedPayload{Attempt: 1})
	f.emit("alice", event.KindItemFailed, "preparation", "target-up", event.ResultPayload{Attempt: 1, Summary: "refused"})
	if !ring(f.State()) {
		t.Error("a critical failure did not ring")
	}
	if ring(f.State()) {
		t.Error("the same state rang twice")
	}
	// The stop that failure triggers is the same event: the title changes, no second bell.
	f.emit("alice", event.KindStopTriggered, "preparation", "target-up", event.StopPayload{Reason: "refused", Choices: []string{"retry"}})
	if ring(f.State()) || m.WindowTitle() != "runway ⏸ STOPPED preparation/target-up" {
		t.Errorf("the stop of a failure already signalled rang again, or title %q", m.WindowTitle())
	}
	// A retry that fails again is a new event.
	f.emit("alice", event.KindStopCleared, "preparation", "target-up", event.StopPayload{Reason: "retry"})
	f.emit("alice", event.KindItemStarted, "preparation", "target-up", event.StartedPayload{Attempt: 2})
	if ring(f.State()) || m.WindowTitle() != "runway ▶ running" {
		t.Errorf("a retry rang, or title %q", m.WindowTitle())
	}
	f.emit("alice", event.KindItemFailed, "preparation", "target-up", event.ResultPayload{Attempt: 2, Summary: "refused"})
	if !ring(f.State()) {
		t.Error("the second failure did not ring")
	}
	// An approval request rings and titles the terminal with the waiting state.
	g := stopped()
	m.st = g.State()
	signals(t, &m, term)
	g.emit("lea", event.KindOverrideRequested, "pilot", "verify-orders", event.OverridePayload{Reason: "known", Policy: "two-person", RequestedBy: "lea"})
	if !ring(g.State()) || m.WindowTitle() != "runway ⚑ WAITING FOR AN APPROVER pilot/verify-orders" {
		t.Errorf("an approval request did not ring, or title %q", m.WindowTitle())
	}
}

// TestSignalsInOrder: signals sent as concurrent commands never leave an
// older title last, and never drop a bell.
func TestSignalsInOrder(t *testing.T) {
	term := &terminal{}
	s := &signaller{w: term}
	s.write(3, "c", false)
	s.write(2, "b", true) // older: its title is not written, its bell is
	if got := term.String(); got != osc2("c")+"\a" {
		t.Fatalf("wrote %q", got)
	}
}
