package console

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"runway/runbook/event"
	"runway/runbook/fold"
	"runway/runbook/session"
)

// TestBannerChoicesActOnStoppedItem: with the cursor on another phase, the
// footer still offers the banner's r and o, and pressing them acts on the
// stopped item (the cursor moves to it), not on the item under the cursor.
func TestBannerChoicesActOnStoppedItem(t *testing.T) {
	f := stopped()
	m := newModel(t, f, 80, 24)
	m, _ = press(t, m, "left") // Preparation: every item passed
	if sel := m.selected(); sel.phase.ID != "preparation" {
		t.Fatalf("cursor on %s, want preparation", sel.phase.ID)
	}
	if v := m.View(); !strings.Contains(v, "r retry · o override") {
		t.Errorf("the footer does not offer the banner's choices:\n%s", v)
	}
	m, _ = press(t, m, "o")
	if v := m.View(); !strings.Contains(v, "Override a failed critical item") || !strings.Contains(v, "pilot/verify-orders · Verify pilot orders") {
		t.Fatalf("o with the cursor elsewhere does not override the stopped item:\n%s", v)
	}
	m, _ = press(t, m, "esc", "left", "up")
	m, msg := press(t, m, "r")
	if msg == nil || f.last() != (session.Retry{Item: "verify-orders", Actor: "alice"}) {
		t.Fatalf("r with the cursor elsewhere sent %v; status %q", f.last(), m.status.text)
	}
	if sel := m.selected(); sel.item.ID != "verify-orders" {
		t.Errorf("cursor on %s after r, want the stopped item", sel.item.ID)
	}
}

// retried answers a retry of the pilot's verify: it passes this time.
func retried(f *fakeCore, a session.Action) {
	if r, ok := a.(session.Retry); ok {
		f.emit(r.Actor, event.KindStopCleared, "pilot", r.Item, event.StopPayload{Reason: "retry"})
		f.emit(r.Actor, event.KindItemStarted, "pilot", r.Item, event.StartedPayload{Attempt: 2})
		f.emit(r.Actor, event.KindItemPassed, "pilot", r.Item, event.ResultPayload{Attempt: 2, Summary: "all rows match"})
	}
}

// TestFlowRetryFromElsewhere drives the program: the lead looks at the
// preparation phase while the pilot is stopped, presses r as the banner
// says, and the stopped item is retried and passes.
func TestFlowRetryFromElsewhere(t *testing.T) {
	f := stopped()
	f.react = retried
	m := New(f, Options{Renderer: asciiRenderer(), Operator: "alice", AuditPath: "runway.db", Now: func() time.Time { return clock }})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { _ = tm.Quit() })
	wait := waitShown(t, tm.Output())
	wait("STOPPED · pilot/verify-orders", "choices: r retry")
	tm.Type("h")
	wait("ITEMS · Preparation")
	tm.Type("r")
	wait("retry verify-orders recorded")
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	if got := f.actions; len(got) != 1 || got[0] != (session.Retry{Item: "verify-orders", Actor: "alice"}) {
		t.Errorf("actions = %v, want one retry of verify-orders", got)
	}
	if st := tm.FinalModel(t).(Model).State(); st.Stop != nil || st.Phases[1].Items[1].Status != fold.ItemPassed {
		t.Errorf("after the retry: stop %v, verify %s", st.Stop, st.Phases[1].Items[1].Status)
	}
}
