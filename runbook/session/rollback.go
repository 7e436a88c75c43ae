package session

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"runway/checks"
	"runway/runbook"
	"runway/runbook/event"
	"runway/runbook/fold"
)

// rollbackStep is one step of a rollback plan.
type rollbackStep struct {
	pi, j int
	id    string
}

func (s *Session) doSetPoint(t *tx, a SetRollbackPoint) error {
	st := t.st()
	name := strings.TrimSpace(a.Name)
	switch {
	case name == "":
		return t.refuse(a, "a rollback point needs a name")
	case st.Point(name) != nil:
		return t.refuse(a, fmt.Sprintf("rollback point %s already exists", name))
	}
	if why := firstOf(s.busyReason(), stopReason(st)); why != "" {
		return t.refuse(a, why)
	}
	// A manual point stands for the boundary after the last passed phase:
	// rolling back to it undoes every phase entered since.
	phase := ""
	for _, ph := range st.Phases {
		if ph.Status != fold.PhasePassed {
			break
		}
		phase = ph.ID
	}
	return t.emit(a.Actor, event.KindRollbackPointSet, phase, "", event.RollbackPointPayload{Name: name, Checksum: fold.StateChecksum(*st)})
}

// doRollback checks the point against the log, records the plan and starts
// running it: the rollback steps of every phase entered since the point,
// newest phase first.
func (s *Session) doRollback(t *tx, a Rollback) error {
	st := t.st()
	if why := s.busyReason(); why != "" {
		return t.refuse(a, why)
	}
	pt := st.Point(a.Point)
	if pt == nil {
		return t.refuse(a, fmt.Sprintf("no rollback point %q", a.Point))
	}
	if why, err := s.checkPoint(*pt); err != nil {
		s.fail(err)
		return err
	} else if why != "" {
		return t.refuse(a, why)
	}
	plan := rollbackPlan(st, s.rb, findPhase(s.rb, pt.Phase))
	steps := make([]string, len(plan))
	for i, p := range plan {
		steps[i] = s.rb.Phases[p.pi].ID + "/" + p.id
	}
	if err := t.emit(a.Actor, event.KindRollbackStarted, "", "", event.RollbackPayload{Point: pt.Name, Steps: steps}); err != nil {
		return err
	}
	s.phaseWait = nil // the phases it waited in start over
	actor, point := a.Actor, pt.Name
	s.startRunner(func(ctx context.Context, c *hold) { s.runRollback(ctx, c, actor, point, plan) })
	return nil
}

// checkPoint recomputes the point's checksum by folding the log up to it and
// compares it with the one stored in the log and the one in the state. It
// returns a refusal reason on a mismatch, or an error if the log can't be read.
func (s *Session) checkPoint(pt fold.RollbackPoint) (string, error) {
	events, err := s.log.Events(s.ctx, s.id, 0)
	if err != nil {
		return "", fmt.Errorf("read the audit log to check rollback point %s: %w", pt.Name, err)
	}
	st := fold.NewState(s.rb)
	var stored *event.RollbackPointPayload
	for _, e := range events {
		if e.Seq >= pt.Seq {
			if e.Seq == pt.Seq && e.Kind == event.KindRollbackPointSet {
				var p event.RollbackPointPayload
				if json.Unmarshal(e.Payload, &p) == nil && p.Name == pt.Name {
					stored = &p
				}
			}
			break
		}
		st.Apply(e)
	}
	if stored == nil {
		return fmt.Sprintf("rollback point %s is not in the audit log at event %d (run verify-log)", pt.Name, pt.Seq), nil
	}
	if got := fold.StateChecksum(st); got != stored.Checksum || stored.Checksum != pt.Checksum {
		return fmt.Sprintf("rollback point %s does not match the audit log: checksum %s recorded, %s recomputed (run verify-log)",
			pt.Name, short(stored.Checksum), short(got)), nil
	}
	return "", nil
}

func short(sum string) string {
	sum = strings.TrimPrefix(sum, "sha256:")
	if len(sum) > 12 {
		return sum[:12]
	}
	return sum
}

// rollbackPlan lists the rollback steps of every phase after index from that
// did any work (passed, or halted or running with an item attempted), newest
// phase first, each phase's steps in runbook order.
func rollbackPlan(st *fold.State, rb *runbook.Runbook, from int) []rollbackStep {
	var plan []rollbackStep
	for pi := len(rb.Phases) - 1; pi > from; pi-- {
		if pi >= len(st.Phases) || !hadWork(st.Phases[pi]) {
			continue
		}
		for j := range rb.Phases[pi].Rollback {
			plan = append(plan, rollbackStep{pi: pi, j: j, id: fold.StepID(rb.Phases[pi], j)})
		}
	}
	return plan
}

func hadWork(ph fold.PhaseState) bool {
	switch ph.Status {
	case fold.PhasePassed:
		return true
	case fold.PhaseRunning, fold.PhaseHalted:
		for _, it := range ph.Items {
			if it.Status != fold.ItemPending {
				return true
			}
		}
	}
	return false
}

// runRollback runs the plan's steps in order. A failing step ends the
// rollback unfinished and triggers the stop rule. The request that records
// the rollback's end releases its hold.
func (s *Session) runRollback(ctx context.Context, c *hold, actor, point string, plan []rollbackStep) {
	for _, step := range plan {
		phase := s.rb.Phases[step.pi].ID
		item := s.rb.Phases[step.pi].Rollback[step.j]
		item.ID = step.id
		o, recorded, ok := s.rollbackStep(ctx, actor, point, phase, item)
		if !ok {
			return // the audit log failed
		}
		if ctx.Err() != nil {
			if errors.Is(context.Cause(ctx), errQuit) {
				s.exec(func(t *tx) error {
					defer c.release()
					return t.rollbackCut(point, "interrupted: the session was closed during the rollback", phase, step.id)
				})
			}
			return
		}
		p := event.RollbackStepPayload{Point: point, Summary: o.summary, Output: o.output}
		if o.passed {
			if !recorded && s.exec(func(t *tx) error { return t.emit(actor, event.KindRollbackStepPassed, phase, step.id, p) }) != nil {
				return
			}
			continue
		}
		s.exec(func(t *tx) error {
			defer c.release()
			if !recorded {
				if err := t.emit(actor, event.KindRollbackStepFailed, phase, step.id, p); err != nil {
					return err
				}
			}
			return t.rollbackCut(point, fmt.Sprintf("rollback step %s/%s failed: %s", phase, step.id, o.summary), phase, step.id)
		})
		return
	}
	s.exec(func(t *tx) error {
		defer c.release()
		if stop := t.st().Stop; stop != nil {
			if err := t.emit(actor, event.KindStopCleared, stop.Phase, stop.Item, event.StopPayload{Reason: "rolled back to " + point}); err != nil {
				return err
			}
		}
		return t.emit(actor, event.KindRollbackFinished, "", "", event.RollbackPayload{Point: point, OK: true})
	})
}

// rollbackStep runs one step with its retries. A manual step waits for its
// sign-off, whose verdict is recorded by the sign-off itself (recorded).
// ok is false when the audit log failed.
func (s *Session) rollbackStep(ctx context.Context, actor, point, phase string, item runbook.Item) (o outcome, recorded, ok bool) {
	for n := 0; n <= max(item.Retries, 0); n++ {
		if n > 0 && !sleepCtx(ctx, item.RetryDelay.D()) {
			break
		}
		if s.exec(func(t *tx) error {
			return t.emit(actor, event.KindRollbackStepStart, phase, item.ID, event.RollbackStepPayload{Point: point})
		}) != nil {
			return o, false, false
		}
		if item.Manual != nil {
			return s.awaitStep(ctx, actor, point, phase, item)
		}
		if o = s.attempt(ctx, actor, phase, item); o.passed || ctx.Err() != nil {
			break
		}
	}
	return o, false, true
}

// stepWait is a manual rollback step waiting for its sign-off.
type stepWait struct {
	point, phase string
	item         runbook.Item
	summary      string    // the sign-off, set before the verdict is sent
	verdict      chan bool // passed or not; buffered, sent once
}

// awaitStep records that a manual rollback step waits, and waits for the
// sign-off (SignOff with the step's id) or the session's end.
func (s *Session) awaitStep(ctx context.Context, actor, point, phase string, item runbook.Item) (outcome, bool, bool) {
	w := &stepWait{point: point, phase: phase, item: item, verdict: make(chan bool, 1)}
	if s.exec(func(t *tx) error {
		s.stepWait = w
		return t.emit(actor, event.KindRollbackStepAwait, phase, item.ID, event.RollbackStepPayload{Point: point})
	}) != nil {
		return outcome{}, false, false
	}
	select {
	case passed := <-w.verdict:
		return outcome{passed: passed, summary: w.summary}, true, true
	case <-ctx.Done():
		s.exec(func(t *tx) error {
			if s.stepWait == w {
				s.stepWait = nil
			}
			return nil
		})
		return outcome{}, false, true
	}
}

// signOffStep records the verdict on a manual rollback step and lets the
// rollback go on (or stop, when it failed). A rollback step can't be skipped.
func (s *Session) signOffStep(t *tx, a SignOff, so checks.SignOff, w *stepWait) error {
	if so.Verdict == checks.Skip {
		return t.refuse(a, fmt.Sprintf("rollback step %s can't be skipped: sign it off as failed to stop the rollback", w.item.ID))
	}
	if err := checks.ValidateSignOff(w.item, so); err != nil {
		return t.refuse(a, err.Error())
	}
	kind := event.KindRollbackStepPassed
	if so.Verdict != checks.Pass {
		kind = event.KindRollbackStepFailed
	}
	p := event.RollbackStepPayload{Point: w.point, Summary: so.Summary()}
	if err := t.emit(a.Actor, kind, w.phase, w.item.ID, p); err != nil {
		return err
	}
	s.stepWait = nil
	w.summary = p.Summary
	w.verdict <- so.Verdict == checks.Pass
	return nil
}

// rollbackCut records a rollback that did not finish, and stops the session
// on it with a banner: the lead must look before anything else runs.
// phase and item name the step it stopped at, when known.
func (t *tx) rollbackCut(point, reason string, at ...string) error {
	phase, item := "", ""
	if len(at) == 2 {
		phase, item = at[0], at[1]
	}
	if err := t.emit("", event.KindRollbackFinished, "", "", event.RollbackPayload{Point: point, OK: false, Reason: reason}); err != nil {
		return err
	}
	return t.emit("", event.KindStopTriggered, phase, item, event.StopPayload{
		Reason:  fmt.Sprintf("rollback to %s did not finish: %s", point, reason),
		Choices: []string{"rollback"},
	})
}
