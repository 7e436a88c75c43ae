package session

import "sync/atomic"

// claim is a runner's hold on the session: the session is busy from the
// request that starts the runner to the request that records the runner's
// last event, not until its goroutine returns. So the fold and Do never
// disagree: once the state shows a phase passed, stopped or waiting for a
// sign-off, the lead's next action is accepted, and while the state shows
// an item or a rollback running, a new run is refused.
type claim struct {
	s    *Session
	held atomic.Bool
}

// newClaim makes the session busy until the claim is released.
func (s *Session) newClaim() *claim {
	c := &claim{s: s}
	c.held.Store(true)
	s.busy.Add(1)
	return c
}

// release ends the claim, once: on the core, in the request that records
// the runner's last event, or when its goroutine ends without recording
// one (the session closing, or an audit log failure).
func (c *claim) release() {
	if c.held.CompareAndSwap(true, false) {
		c.s.busy.Add(-1)
	}
}

// releasing is a verdict's follow-up for a runner that ends with it.
func (c *claim) releasing(*tx) error {
	c.release()
	return nil
}

// afterRequest, when a test sets it, runs on the core after each request.
var afterRequest atomic.Pointer[func(*Session)]
