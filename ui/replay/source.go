package replay

import (
	"sync"
	"time"

	"runway/engine"
	"runway/runbook"
	"runway/runbook/fold"
	"runway/runbook/session"
)

// source is what the console reads during a replay: the state at the
// cursor, published by the model each time the cursor moves, and the clock
// at the cursor, so that elapsed times and escalations read as they did
// then. It is a console.Source and not a Driver: the console is in observer
// mode.
type source struct {
	rb *runbook.Runbook

	mu    sync.Mutex
	st    fold.State // never changed once published: the model builds a new one
	clock time.Time

	wake session.Wakeups
	done chan struct{}
	once sync.Once
}

func newSource(rb *runbook.Runbook, st fold.State, clock time.Time) *source {
	return &source{rb: rb, st: st, clock: clock, done: make(chan struct{})}
}

// publish shows st, as of clock, and wakes the console.
func (s *source) publish(st fold.State, clock time.Time) {
	s.mu.Lock()
	s.st, s.clock = st, clock
	s.mu.Unlock()
	s.wake.Notify()
}

// now is the wall time at the cursor.
func (s *source) now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clock
}

func (s *source) Runbook() *runbook.Runbook { return s.rb }

func (s *source) State() fold.State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.Clone()
}

func (s *source) Subscribe() (<-chan struct{}, func()) { return s.wake.Subscribe() }

// Live is empty: a replay has no running engine. The console shows each
// engine's figures from the progress events folded up to the cursor.
func (s *source) Live() map[string][]engine.Progress { return nil }

// Done is closed when the replay is left.
func (s *source) Done() <-chan struct{} { return s.done }

func (s *source) Err() error { return nil }

func (s *source) close() { s.once.Do(func() { close(s.done) }) }
