package session

import (
	"fmt"

	"runway/runbook"
	"runway/runbook/event"
	"runway/runbook/fold"
)

// The stop rules, as pure functions of the state and the runbook:
//   - a critical item that fails halts its phase: later items don't start and
//     later phases stay locked, until it is retried, overridden or rolled back;
//   - a critical item can't be skipped, only overridden;
//   - a non-critical failure is a warning: the phase goes on;
//   - a phase passes when no item holds it back, and phases run in order.

// blocks reports whether an item still holds its phase back.
func blocks(it fold.ItemState, spec runbook.Item) bool {
	switch it.Status {
	case fold.ItemPassed, fold.ItemSkipped, fold.ItemOverridden:
		return false
	case fold.ItemFailed:
		return spec.Critical || it.Critical
	}
	return true
}

// nextItem is the index of the first item that holds phase pi back, or -1.
func nextItem(st *fold.State, rb *runbook.Runbook, pi int) int {
	if pi < 0 || pi >= len(st.Phases) || pi >= len(rb.Phases) {
		return -1
	}
	items := st.Phases[pi].Items
	for i, spec := range rb.Phases[pi].Items {
		if i < len(items) && blocks(items[i], spec) {
			return i
		}
	}
	return -1
}

// lockedReason says why phase pi cannot be worked on, or "" when it can:
// every earlier phase passed and it has not passed itself.
func lockedReason(st *fold.State, pi int) string {
	if pi < 0 || pi >= len(st.Phases) {
		return "no such phase"
	}
	for i := 0; i < pi; i++ {
		if st.Phases[i].Status != fold.PhasePassed {
			return fmt.Sprintf("phase %s is locked until %s passes", st.Phases[pi].ID, st.Phases[i].ID)
		}
	}
	if st.Phases[pi].Status == fold.PhasePassed {
		return fmt.Sprintf("phase %s already passed", st.Phases[pi].ID)
	}
	return ""
}

// policy is the phase's override policy, defaulting to "reason".
func policy(p runbook.Phase) runbook.OverridePolicy {
	if p.Overrides == "" {
		return runbook.OverrideReason
	}
	return p.Overrides
}

// stopChoices are what the lead may do about a failed critical item.
func stopChoices(st *fold.State, p runbook.Phase) []string {
	c := []string{"retry"}
	if policy(p) != runbook.OverrideForbidden {
		c = append(c, "override")
	}
	if len(st.RollbackPoints) > 0 {
		c = append(c, "rollback")
	}
	return c
}

// findItem locates an item by id, in phase when it is not "".
func findItem(rb *runbook.Runbook, phase, id string) (pi, ii int, ok bool) {
	for pi, p := range rb.Phases {
		if phase != "" && p.ID != phase {
			continue
		}
		for ii, it := range p.Items {
			if it.ID == id {
				return pi, ii, true
			}
		}
	}
	return -1, -1, false
}

func findPhase(rb *runbook.Runbook, id string) int {
	for i, p := range rb.Phases {
		if p.ID == id {
			return i
		}
	}
	return -1
}

// enter records a phase's start if it has not started yet.
func (t *tx) enter(actor string, pi int) error {
	ph := &t.st().Phases[pi]
	if ph.Status == fold.PhaseRunning || ph.Status == fold.PhaseHalted {
		return nil
	}
	return t.emit(actor, event.KindPhaseStarted, ph.ID, "", nil)
}

// settle passes phase pi when nothing holds it back, and records its
// rollback point with the checksum of the state the pass produced.
func (t *tx) settle(actor string, pi int) error {
	st, rb := t.st(), t.s.rb
	switch st.Phases[pi].Status {
	case fold.PhaseReady, fold.PhaseRunning, fold.PhaseRolledBack:
	default:
		return nil
	}
	if lockedReason(st, pi) != "" || nextItem(st, rb, pi) >= 0 {
		return nil
	}
	if err := t.enter(actor, pi); err != nil {
		return err
	}
	id := rb.Phases[pi].ID
	if err := t.emit(actor, event.KindPhasePassed, id, "", nil); err != nil {
		return err
	}
	if name := rb.Phases[pi].RollbackPoint; name != "" {
		return t.emit(actor, event.KindRollbackPointSet, id, "", event.RollbackPointPayload{Name: name, Checksum: fold.StateChecksum(*st)})
	}
	return nil
}

// passed records an item's pass; it lifts a stop the item held and may pass the phase.
func (t *tx) passed(actor string, pi, ii int, p event.ResultPayload) error {
	phase, item := t.s.rb.Phases[pi].ID, t.s.rb.Phases[pi].Items[ii].ID
	if err := t.emit(actor, event.KindItemPassed, phase, item, p); err != nil {
		return err
	}
	if stop := t.st().Stop; stop != nil && stop.Phase == phase && stop.Item == item {
		if err := t.emit(actor, event.KindStopCleared, phase, item, event.StopPayload{Reason: item + " passed on retry"}); err != nil {
			return err
		}
	}
	return t.settle(actor, pi)
}

// failed records an item's failure. A critical one triggers the stop rule
// and halts the phase; a non-critical one is a warning and the phase goes on.
func (t *tx) failed(actor string, pi, ii int, p event.ResultPayload) error {
	ph := t.s.rb.Phases[pi]
	spec := ph.Items[ii]
	p.Critical = p.Critical || spec.Critical
	if err := t.emit(actor, event.KindItemFailed, ph.ID, spec.ID, p); err != nil {
		return err
	}
	if !p.Critical {
		return t.settle(actor, pi)
	}
	reason := fmt.Sprintf("critical item %s failed: %s", spec.ID, p.Summary)
	if err := t.emit(actor, event.KindStopTriggered, ph.ID, spec.ID, event.StopPayload{
		Reason: reason, Choices: stopChoices(t.st(), ph),
	}); err != nil {
		return err
	}
	return t.emit(actor, event.KindPhaseHalted, ph.ID, "", event.PhasePayload{Reason: reason})
}
