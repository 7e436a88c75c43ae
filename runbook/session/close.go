package session

import (
	"context"
	"time"

	"runway/runbook/event"
	"runway/runbook/fold"
)

// Close ends the session gracefully: new actions are refused, running items
// are cancelled (engines stop at a checkpoint) and recorded as interrupted,
// and session.closed records how it ended — passed, stopped, or quit (a
// resume continues it). ctx bounds the wait for running items. Close returns
// the audit log failure that stopped the session, if any; it is safe to call
// more than once.
func (s *Session) Close(ctx context.Context) error {
	s.closeOnce.Do(func() { s.close(ctx) })
	return s.Err()
}

func (s *Session) close(ctx context.Context) {
	start := time.Now()
	defer func() {
		s.debug().Debug("session.close", "session", s.id, "err", s.Err() != nil, "ms", time.Since(start).Milliseconds())
	}()
	defer s.conns.close()
	if s.Err() == nil {
		_ = s.exec(func(t *tx) error { s.closing = true; return nil })
		s.cancel(errQuit)
		waitCtx(ctx, &s.runners)
		waitCtx(ctx, &s.guards.wg) // guard_run.go: stopped by the closing request
		_ = s.exec(func(t *tx) error {
			if err := s.flushProgress(""); err != nil {
				return err
			}
			p := s.closedPayload(t.st())
			p.Ended = time.Now().UTC()
			if err := t.emit("", event.KindSessionClosed, "", "", p); err != nil {
				return err
			}
			return t.setStatus(p.Status, p.Ended)
		})
		s.notes.finish(ctx, notifyDrainTime) // the workers record through the core
	} else {
		waitCtx(ctx, &s.runners)
		s.notes.abandon()
	}
	s.endCore()
	<-s.done
	s.claim.release()
}

// closedStatus is how a session ends: passed, stopped (a stop rule holds) or quit.
func closedStatus(st *fold.State) string {
	switch {
	case st.AllPassed():
		return "passed"
	case st.Stop != nil:
		return "stopped"
	}
	return "quit"
}

// waitCtx waits for wg or until ctx ends.
func waitCtx(ctx context.Context, wg interface{ Wait() }) {
	ch := make(chan struct{})
	go func() { wg.Wait(); close(ch) }()
	select {
	case <-ch:
	case <-ctx.Done():
	}
}
