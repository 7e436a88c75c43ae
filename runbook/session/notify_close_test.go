package session

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"runway/runbook/event"
)

// Closing on a channel that hangs leaves no notice unaccounted for: the one
// in the middle of its attempt and the one still queued are recorded as
// dropped, with why.
func TestNotifyCloseRecordsWhatWasNotDelivered(t *testing.T) {
	h := newHookServer(t, http.StatusOK, true) // answers only once released: hangs
	f := startWith(t, strings.Replace(notifyThreePhases, "%HOOK%", h.srv.URL, 1), nil, Options{})
	f.do(RunPhase{Phase: "one"})
	deadline := time.Now().Add(30 * time.Second)
	for notices, _ := h.got(); len(notices) == 0; notices, _ = h.got() { // phase one's is in flight
		if time.Now().After(deadline) {
			t.Fatal("phase one's notice never reached the receiver")
		}
		time.Sleep(2 * time.Millisecond)
	}
	f.do(RunPhase{Phase: "two"}) // queued behind it
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	if err := f.sess.Close(ctx); err != nil {
		t.Fatal(err)
	}
	lost := 0
	for _, e := range f.events() {
		if e.Kind == event.KindNotifyDropped {
			p := event.Decode[event.NotifyPayload](e.Payload)
			lost += p.Dropped
			if p.Channel != "slow" || !strings.Contains(p.Summary, "session closed") {
				t.Errorf("dropped %+v", p)
			}
		}
	}
	if lost != 2 {
		t.Errorf("%d notices recorded as not delivered, want 2 (one in flight, one queued); events %v", lost, f.kinds())
	}
}
