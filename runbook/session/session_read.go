package session

import (
	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/fold"
)

// What a session tells its readers: who and what it runs, its fold, its
// log, and the signals that it changed or ended.

// ID is the session's id in the audit log.
func (s *Session) ID() string { return s.id }

// Runbook is the runbook the session runs.
func (s *Session) Runbook() *runbook.Runbook { return s.rb }

// Operator is who drives the session.
func (s *Session) Operator() string { return s.opts.Operator }

// State is a copy of the current fold of the session's events.
func (s *Session) State() fold.State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.Clone()
}

// BaseSeq is the seq of the last event written before this process took the
// session (0 for a session it started): a line-mode driver prints from there.
func (s *Session) BaseSeq() int64 { return s.baseSeq }

// Redact masks the runbook's secrets in text meant for a screen or a file.
func (s *Session) Redact(text string) string { return s.rb.Secrets.String(text) }

// Events reads the session's durable events after seq, from the audit log.
func (s *Session) Events(afterSeq int64) ([]audit.Event, error) {
	return s.log.Events(s.base, s.id, afterSeq)
}

// Idle reports whether nothing runs: no item, phase or rollback in flight.
// It changes in the same core request as the state: the request that
// records a run's last event also ends the run (see hold).
func (s *Session) Idle() bool { return s.busy.Load() == 0 }

// Subscribe returns a wake-up signal that fires (coalesced, never blocking
// the core) whenever the state changes or the session becomes idle, and a
// function to stop listening.
func (s *Session) Subscribe() (<-chan struct{}, func()) { return s.wake.Subscribe() }

func (s *Session) notify() { s.wake.Notify() }

// Done is closed when the session has ended: closed, or stopped by an audit
// log failure.
func (s *Session) Done() <-chan struct{} { return s.done }

// Err is the audit log failure that stopped the session, or nil. A caller
// seeing it exits with status 3.
func (s *Session) Err() error {
	s.fatalMu.Lock()
	defer s.fatalMu.Unlock()
	return s.fatal
}
