package session

import "testing"

// A request records several events: an approval records override.approved,
// item.overridden and stop.cleared. A reader never sees it half done (the
// request gone but the stop it held still there), which a line-mode driver
// once read as a stop to ask about again, ending the run.
func TestReadersSeeNoHalfDoneRequest(t *testing.T) {
	f := newFixture(t, policyRunbook("two-person"))
	f.do(RunPhase{Phase: "one"})
	f.do(Override{Item: "b", Reason: "vendor confirmed"})
	before := f.sess.State()
	if before.Pending == nil || before.Stop == nil {
		t.Fatalf("no pending request and stop to start from: %+v %+v", before.Pending, before.Stop)
	}
	var seen []State
	hook := func(s *Session) { seen = append(seen, s.State()) } // on the core: no race on seen
	afterApply.Store(&hook)
	defer afterApply.Store(nil)
	if _, err := f.sess.ApproveFrom(Peer{UID: processUID() + 1, Login: "abe"}, ""); err != nil {
		t.Fatal(err)
	}
	afterApply.Store(nil)
	if len(seen) < 3 {
		t.Fatalf("the approval folded %d events, want at least 3", len(seen))
	}
	for i, st := range seen {
		if st.Pending == nil || st.Stop == nil {
			t.Fatalf("after event %d of the request a reader saw pending %+v, stop %+v", i+1, st.Pending, st.Stop)
		}
	}
	if after := f.sess.State(); after.Pending != nil || after.Stop != nil {
		t.Fatalf("after the request: pending %+v, stop %+v", after.Pending, after.Stop)
	}
}
