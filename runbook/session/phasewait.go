package session

// phaseWait is a phase run that stopped at a manual item to wait for its
// sign-off: the run goes on once the item no longer holds the phase back.
// It is the executor's intent, not part of the fold: after a resume the
// lead asks for the phase again.
type phaseWait struct {
	pi   int
	item string
}

// continuePhase goes on with the phase run that waited for item's sign-off,
// once that sign-off (or skip) is recorded, unless a stop holds, the phase
// has nothing left or the session is closing. It runs on the core, in the
// sign-off's request, so the next item's start is recorded before any
// caller can see the session idle: a line-mode driver that waits for idle
// never starts a second run.
func (s *Session) continuePhase(t *tx, actor, item string) error {
	w := s.phaseWait
	if w == nil || w.item != item {
		return nil
	}
	s.phaseWait = nil // consumed by this sign-off, whatever its verdict
	st := t.st()
	if s.closing || st.Stop != nil || st.Pending != nil || lockedReason(st, w.pi) != "" || nextItem(st, s.rb, w.pi) < 0 {
		return nil
	}
	return s.startPhase(t, actor, w.pi)
}
