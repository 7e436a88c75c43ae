package fold

import (
	"encoding/json"
	"strconv"

	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/event"
)

// maxIncidentSteps bounds a procedure's step list in the fold, so a garbled
// step number cannot make the reducer allocate without limit.
const maxIncidentSteps = 1000

// NewState is the state of a session on rb before any event: every item
// pending, the first phase ready and the others locked.
func NewState(rb *runbook.Runbook) State {
	s := State{Status: StatusRunning}
	if rb == nil {
		return s
	}
	s.Runbook, s.Title = rb.Name, rb.Title
	s.Phases = make([]PhaseState, len(rb.Phases))
	for i, p := range rb.Phases {
		ps := PhaseState{ID: p.ID, Status: PhaseLocked}
		if i == 0 {
			ps.Status = PhaseReady
		}
		ps.Items = make([]ItemState, len(p.Items))
		for j, it := range p.Items {
			ps.Items[j] = ItemState{ID: it.ID, Status: ItemPending}
		}
		ps.Rollback = make([]ItemState, len(p.Rollback))
		for j := range p.Rollback {
			ps.Rollback[j] = ItemState{ID: StepID(p, j), Status: ItemPending}
		}
		s.Phases[i] = ps
	}
	s.Guards = newGuardStates(rb) // apply_guard.go
	if len(rb.Procedures) > 0 {
		s.procSteps = make(map[string]int, len(rb.Procedures))
		for _, p := range rb.Procedures {
			s.procSteps[p.ID] = len(p.Steps)
		}
	}
	return s
}

// StepID names a phase's i-th rollback step in events: its id, or
// "rollback-N" (1-based) when the runbook gives none.
func StepID(p runbook.Phase, i int) string {
	if i >= 0 && i < len(p.Rollback) && p.Rollback[i].ID != "" {
		return p.Rollback[i].ID
	}
	return "rollback-" + strconv.Itoa(i+1)
}

// Fold applies events in order to the state of a fresh session on rb.
func Fold(rb *runbook.Runbook, events []audit.Event) State {
	s := NewState(rb)
	for _, e := range events {
		s.Apply(e)
	}
	return s
}

// Apply advances the state by one event. It is pure and deterministic: the
// same events give the same state, unknown kinds and unreadable payloads are
// ignored (the event still counts), and no payload can make it panic.
func (s *State) Apply(e audit.Event) {
	at := e.Time.UTC()
	s.Seq = e.Seq
	s.Events++
	s.Last = at
	if e.Actor != "" && !guardActor(e.Actor) && !containsString(s.Actors, e.Actor) { // a guard is no person (apply_guard.go)
		s.Actors = append(s.Actors, e.Actor)
	}
	switch e.Kind {
	case event.KindEngineProgress:
		// Telemetry, most of a long log: it changes no status, so the
		// status is left as the previous event set it.
		s.applyProgress(e)
		return
	case event.KindGuardSample:
		s.applyGuard(e, at) // telemetry too: no status changes
		return
	case event.KindGuardState, event.KindGuardRecovered, event.KindGuardAcknowledged:
		s.applyGuard(e, at) // apply_guard.go
	case event.KindSessionOpened, event.KindSessionResumed, event.KindSessionClosed:
		s.applySession(e, at)
	case event.KindPhaseStarted, event.KindPhasePassed, event.KindPhaseHalted:
		s.applyPhase(e, at)
	case event.KindItemStarted, event.KindItemAwaiting, event.KindItemRetrying, event.KindItemPassed,
		event.KindItemFailed, event.KindItemSkipped, event.KindItemInterrupted:
		s.applyItem(e, at)
	case event.KindOverrideRequested, event.KindOverrideApproved, event.KindOverrideRejected, event.KindItemOverridden:
		s.applyOverride(e, at)
	case event.KindStopTriggered, event.KindStopCleared, event.KindNote, event.KindActionRefused, event.KindControlHanded:
		s.applyOperator(e, at)
	case event.KindRollbackPointSet, event.KindRollbackStarted, event.KindRollbackFinished:
		s.applyRollback(e, at)
	case event.KindRollbackStepStart, event.KindRollbackStepAwait, event.KindRollbackStepPassed, event.KindRollbackStepFailed:
		s.applyRollbackStep(e, at)
	case event.KindEngineCheckpoint, event.KindEngineControl, event.KindEnginePlan:
		s.applyEngine(e)
	case event.KindIncidentOpened, event.KindIncidentStep, event.KindIncidentClosed:
		s.applyIncident(e, at)
	case event.KindNotifySent, event.KindNotifyFailed, event.KindNotifyDropped:
		s.applyNotify(e, at)
	case event.KindDriftWarning:
		s.applyDrift(e, at)
	}
	s.Status = s.status()
}

// status derives the session status from the rest of the fold.
func (s *State) status() SessionStatus {
	switch {
	case s.Rollback != nil && s.Rollback.Running:
		return StatusRollingBack
	case s.AllPassed():
		return StatusPassed
	case s.Stop != nil:
		return StatusStopped
	case s.Closed:
		return StatusClosed
	}
	return StatusRunning
}

// AllPassed reports whether every phase passed (false for a runbook without phases).
func (s State) AllPassed() bool {
	if len(s.Phases) == 0 {
		return false
	}
	for _, p := range s.Phases {
		if p.Status != PhasePassed {
			return false
		}
	}
	return true
}

// decode reads a payload into v; an unreadable payload leaves v as it is
// (the zero value), which every apply function treats as "nothing to record".
func decode(raw json.RawMessage, v any) {
	if len(raw) == 0 {
		return
	}
	_ = json.Unmarshal(raw, v)
}

func containsString(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}
