package plain

import (
	"context"
	"strings"

	"runway/runbook/fold"
	"runway/runbook/session"
	"runway/ui/inert"
)

// guardStopped reports whether a guard's critical breach holds the stop.
// Its engines are paused, not finished: at a terminal the loop asks the
// lead instead of waiting for them.
func guardStopped(st fold.State) bool { return st.Stop != nil && st.Stop.Guard != "" }

// onGuardStop asks the lead to acknowledge a guard's stop with a reason
// and, since plain output has no pause key, resumes the engines the guard
// paused once the acknowledgement is recorded (the prompt says so).
func (r *run) onGuardStop(ctx context.Context, st fold.State) error {
	stop := st.Stop
	options := []string{"a acknowledge and resume"}
	point := ""
	if n := len(st.RollbackPoints); n > 0 {
		point = st.RollbackPoints[n-1].Name
		options = append(options, "b roll back to "+point)
	}
	options = append(options, "q quit")
	r.p.prompt("stopped by guard %s [%s]: ", inert.OneLine(stop.Guard), strings.Join(options, " / "))
	answer, err := r.in.read(ctx)
	if err != nil {
		return errQuit
	}
	switch strings.ToLower(answer) {
	case "a", "acknowledge":
		reason, err := r.ask(ctx, "reason to go on despite guard "+inert.OneLine(stop.Guard)+": ")
		if err != nil {
			return err
		}
		if err := r.sess.Do(session.AcknowledgeGuard{Guard: stop.Guard, Reason: reason}); err != nil {
			return err
		}
		return r.resumePaused()
	case "b", "rollback":
		if point != "" {
			return r.sess.Do(session.Rollback{Point: point})
		}
	case "q", "quit":
		return errQuit
	}
	return nil // asked again
}

// resumePaused resumes every running engine that is paused.
func (r *run) resumePaused() error {
	st := r.sess.State()
	for _, ph := range st.Phases {
		for _, it := range ph.Items {
			if it.Status == fold.ItemRunning && it.Engine != nil && it.Engine.Paused {
				if err := r.sess.Do(session.ResumeEngine{Item: it.ID}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// tellGuardWait says once, without a terminal, that a guard's stop holds
// the paused engines and how to go on. The run stays up, as an unattended
// (nohup) run should: guards keep watching and an unanswered stop
// escalates to whoever the routes name.
func (r *run) tellGuardWait(st fold.State) {
	if r.d.Interactive || !guardStopped(st) || r.toldAt == st.Stop.Since.UnixNano() {
		return
	}
	r.toldAt = st.Stop.Since.UnixNano()
	r.p.say("guard %s holds a stop; the paused engines wait. Ctrl-C ends the run; runway resume continues it, and o in the console acknowledges the guard",
		inert.OneLine(st.Stop.Guard))
	r.p.flush()
}
