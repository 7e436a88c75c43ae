package session

import (
	"runway/runbook/event"
	"runway/runbook/fold"
)

// EndFor says why the session is about to be closed when the operator did
// not choose it: Close records status and reason in session.closed
// instead of "quit" (a passed or stopped session keeps its status and gets
// the reason). The first call wins: a
// hang-up that ends the run is not renamed by the signal that follows.
// Running items are interrupted and recorded as for any close, so a
// resume continues.
func (s *Session) EndFor(status, reason string) {
	s.ending.CompareAndSwap(nil, &event.ClosedPayload{Status: status, Reason: reason})
}

// closedPayload is how the session closes: passed, stopped, quit, or the
// reason given to EndFor.
func (s *Session) closedPayload(st *fold.State) event.ClosedPayload {
	p := event.ClosedPayload{Status: closedStatus(st)}
	if p.Status == "passed" {
		p.Warnings = st.Warnings()
		p.Outcome = st.Outcome().String()
	}
	if e := s.ending.Load(); e != nil {
		p.Reason = e.Reason
		if p.Status == "quit" {
			p.Status = e.Status
		}
	}
	return p
}
