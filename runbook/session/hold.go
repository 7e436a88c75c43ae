package session

import "sync/atomic"

// hold is a runner's hold on the session: the session is busy from the
// request that starts the runner to the request that records the runner's
// last event, not until its goroutine returns. So the fold and Do never
// disagree: once the state shows a phase passed, stopped or waiting for a
// sign-off, the lead's next action is accepted, and while the state shows
// an item or a rollback running, a new run is refused.
type hold struct {
	s    *Session
	held atomic.Bool
}

// newHold makes the session busy until the hold is released.
func (s *Session) newHold() *hold {
	c := &hold{s: s}
	c.held.Store(true)
	s.busy.Add(1)
	return c
}

// release ends the hold, once: on the core, in the request that records
// the runner's last event, or when its goroutine ends without recording
// one (the session closing, or an audit log failure).
func (c *hold) release() {
	if c.held.CompareAndSwap(true, false) {
		c.s.busy.Add(-1)
	}
}

// releasing is a verdict's follow-up for a runner that ends with it.
func (c *hold) releasing(*tx) error {
	c.release()
	return nil
}

// afterRequest, when a test sets it, runs on the core after each request.
var afterRequest atomic.Pointer[func(*Session)]
