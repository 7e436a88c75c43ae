package session

import (
	"fmt"
	"sort"
	"strings"

	"runway/runbook"
	"runway/runbook/event"
	"runway/runbook/fold"
)

// AcknowledgeGuard answers a guard's stop: the lead has seen the breach
// and says why the window may go on. The stop is lifted and a halted phase
// may run again; paused engines stay paused until the lead resumes them.
type AcknowledgeGuard struct {
	Actor, Guard, Reason string
}

func (a AcknowledgeGuard) ActionName() string { return "acknowledge guard" }
func (a AcknowledgeGuard) actor() string      { return a.Actor }

// guardActor names a guard as the actor of what it causes.
func guardActor(id string) string { return "guard:" + id }

// guardChanged records a guard's change of state. A critical breach is a
// stop rule: the phase running halts, running engines pause, and the stop
// names the guard, its value and the threshold. It runs on the core.
func (t *tx) guardChanged(g runbook.Guard, v guardVerdict) error {
	p := event.GuardPayload{Guard: g.ID, State: v.to, From: v.from, Value: v.value, Threshold: v.threshold, Count: v.count}
	kind := event.KindGuardState
	if v.to == event.GuardOK {
		kind, p.Threshold, p.Count = event.KindGuardRecovered, "", 0
	}
	if err := t.emit(guardActor(g.ID), kind, g.Phase, "", p); err != nil {
		return err
	}
	if v.to != event.GuardCritical {
		return nil
	}
	if t.st().Stop == nil && !t.s.closing {
		if err := t.guardStop(g, v); err != nil {
			return err
		}
	}
	return t.pauseEngines(guardActor(g.ID))
}

// guardStop triggers the stop rule for a guard's critical breach and halts
// the phase that runs (a runbook guard's stop holds even between phases:
// no phase starts while it does).
func (t *tx) guardStop(g runbook.Guard, v guardVerdict) error {
	st := t.st()
	phase := g.Phase
	if phase == "" && st.Current >= 0 && st.Current < len(st.Phases) {
		phase = st.Phases[st.Current].ID
	}
	reason := fmt.Sprintf("guard %s critical: %s (breached %s)", g.ID, v.value, v.threshold)
	choices := []string{"acknowledge"}
	if len(st.RollbackPoints) > 0 {
		choices = append(choices, "rollback")
	}
	actor := guardActor(g.ID)
	if err := t.emit(actor, event.KindStopTriggered, phase, "", event.StopPayload{Reason: reason, Choices: choices, Guard: g.ID}); err != nil {
		return err
	}
	if pi := findPhase(t.s.rb, phase); pi >= 0 && st.Phases[pi].Status == fold.PhaseRunning {
		return t.emit(actor, event.KindPhaseHalted, phase, "", event.PhasePayload{Reason: reason})
	}
	return nil
}

// pauseEngines pauses every running engine not paused yet, recording each
// pause as the pause key would, with actor as who paused it.
func (t *tx) pauseEngines(actor string) error {
	for _, item := range t.s.controls.items() {
		ctl := t.s.controls.get(item)
		if ctl == nil || ctl.Paused() {
			continue
		}
		ctl.Pause()
		pi, _, ok := findItem(t.s.rb, "", item)
		if !ok {
			continue
		}
		if err := t.emit(actor, event.KindEngineControl, t.s.rb.Phases[pi].ID, item, event.ControlPayload{Action: "pause"}); err != nil {
			return err
		}
	}
	return nil
}

// doAcknowledgeGuard lifts a guard's stop with the lead's reason.
func (s *Session) doAcknowledgeGuard(t *tx, a AcknowledgeGuard) error {
	st := t.st()
	if st.Guard(a.Guard) == nil {
		return t.refuse(a, fmt.Sprintf("no guard %q", a.Guard))
	}
	if strings.TrimSpace(a.Reason) == "" {
		return t.refuse(a, "an acknowledgement needs a reason")
	}
	if st.Stop == nil || st.Stop.Guard != a.Guard {
		return t.refuse(a, fmt.Sprintf("guard %s holds no stop", a.Guard))
	}
	g := st.Guard(a.Guard)
	if err := t.emit(a.Actor, event.KindGuardAcknowledged, g.Phase, "", event.GuardPayload{Guard: a.Guard, State: g.State, Value: g.Value, Reason: a.Reason}); err != nil {
		return err
	}
	stop := st.Stop
	return t.emit(a.Actor, event.KindStopCleared, stop.Phase, stop.Item, event.StopPayload{Reason: "guard " + a.Guard + " acknowledged: " + a.Reason, Guard: a.Guard})
}

// items lists the items with a live control, sorted.
func (c *controlSet) items() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, 0, len(c.m))
	for id := range c.m {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// reassertGuardStop puts a guard's stop back when another stop held the
// session as the guard breached and was cleared since: a critical guard in
// force that the lead has not acknowledged always holds a stop (fail
// closed). Not during a rollback, which runs its own course. It runs on
// the core, after each request.
func (s *Session) reassertGuardStop() {
	st := &s.st
	if st.Stop != nil || s.closing || s.Err() != nil || (st.Rollback != nil && st.Rollback.Running) {
		return
	}
	if g, ok := s.holdingGuard(st); ok {
		gs := st.Guard(g.ID)
		t := &tx{s: s}
		v := guardVerdict{to: event.GuardCritical, value: gs.Value, threshold: gs.Threshold}
		if t.guardStop(g, v) == nil {
			_ = t.pauseEngines(guardActor(g.ID))
		}
	}
}

// holdingGuard is the first guard in force that is critical and not
// acknowledged: it holds the phase whether or not its stop is recorded yet.
func (s *Session) holdingGuard(st *fold.State) (runbook.Guard, bool) {
	want := s.wantedGuards(st)
	for _, g := range s.rb.AllGuards() {
		gs := st.Guard(g.ID)
		if _, active := want[g.ID]; active && gs != nil && gs.State == event.GuardCritical && !gs.Acked {
			return g, true
		}
	}
	return runbook.Guard{}, false
}

// guardHolds reports whether a critical guard holds the phases back.
func (s *Session) guardHolds(st *fold.State) bool {
	_, ok := s.holdingGuard(st)
	return ok
}
