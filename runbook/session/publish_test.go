package session

import (
	"os"
	"testing"
)

// A request records several events: an approval records override.approved,
// item.overridden and stop.cleared. A reader never sees it half done (the
// request gone but the stop it held still there), which a line-mode driver
// once read as a stop to ask about again, ending the run: while the core
// folds a request's events, no reader can take the state.
func TestReadersSeeNoHalfDoneRequest(t *testing.T) {
	f := newFixture(t, policyRunbook("two-person"))
	f.do(RunPhase{Phase: "one"})
	f.do(Override{Item: "b", Reason: "vendor confirmed"})
	events, open := 0, 0
	hook := func(s *Session) { // on the core, after each event of the request
		events++
		if s.mu.TryLock() {
			s.mu.Unlock()
			open++
		}
	}
	afterApply.Store(&hook)
	defer afterApply.Store(nil)
	if _, err := f.sess.ApproveFrom(Peer{UID: os.Getuid() + 1, Login: "abe"}, ""); err != nil {
		t.Fatal(err)
	}
	afterApply.Store(nil)
	if events < 3 || open > 0 {
		t.Fatalf("the approval folded %d events; a reader could have taken the state after %d of them", events, open)
	}
	if st := f.sess.State(); st.Pending != nil || st.Stop != nil {
		t.Fatalf("after the request: pending %+v, stop %+v", st.Pending, st.Stop)
	}
}
