package fold

import (
	"cmp"
	"time"

	"runway/runbook/audit"
	"runway/runbook/event"
)

// applySession records who opened the session and whether it is closed.
func (s *State) applySession(e audit.Event, at time.Time) {
	switch e.Kind {
	case event.KindSessionOpened:
		var p audit.OpenedPayload
		decode(e.Payload, &p)
		s.Session, s.Operator, s.Host, s.Started = e.Session, p.Operator, p.Host, at
		if s.Operator == "" {
			s.Operator = e.Actor
		}
		s.Parts = append(s.Parts, Part{Seq: e.Seq, Operator: s.Operator, Host: p.Host, Build: p.Build, At: at})
	case event.KindSessionResumed:
		var p event.ResumedPayload
		decode(e.Payload, &p)
		s.Closed = false
		s.Parts = append(s.Parts, Part{Seq: e.Seq, Resumed: true, Operator: cmp.Or(p.Operator, e.Actor),
			Host: p.Host, Build: p.Build, At: at})
	case event.KindSessionClosed:
		s.Closed = true
	}
}

// applyPhase moves a phase along: started, passed (unlocking the next),
// halted by a stop rule.
func (s *State) applyPhase(e audit.Event, at time.Time) {
	pi := s.phaseIndex(e.Phase)
	if pi < 0 {
		return
	}
	ph := &s.Phases[pi]
	switch e.Kind {
	case event.KindPhaseStarted:
		ph.Status, ph.Started, ph.Ended = PhaseRunning, at, time.Time{}
		s.Current = pi
	case event.KindPhasePassed:
		ph.Status, ph.Ended = PhasePassed, at
		if pi+1 < len(s.Phases) {
			if next := &s.Phases[pi+1]; next.Status == PhaseLocked {
				next.Status = PhaseReady
			}
			s.Current = pi + 1
		}
	case event.KindPhaseHalted:
		ph.Status = PhaseHalted
		s.Current = pi
	}
}

// applyOverride records an override's request, its answer, and the
// override itself, which counts the failed critical item as passed.
func (s *State) applyOverride(e audit.Event, at time.Time) {
	switch e.Kind {
	case event.KindOverrideRequested:
		var p event.OverridePayload
		decode(e.Payload, &p)
		s.Pending = &OverrideRecord{Phase: e.Phase, Item: e.Item, OverridePayload: p, At: at}
	case event.KindOverrideApproved, event.KindOverrideRejected:
		s.answerPending(e)
	case event.KindItemOverridden:
		var p event.OverridePayload
		decode(e.Payload, &p)
		rec := OverrideRecord{Phase: e.Phase, Item: e.Item, OverridePayload: p, At: at}
		s.Overrides = append(s.Overrides, rec)
		if it := s.item(e.Phase, e.Item); it != nil {
			r := rec
			it.Status, it.Override, it.Ended = ItemOverridden, &r, at
		}
		s.answerPending(e)
	}
}

// answerPending forgets the pending override of the event's item.
func (s *State) answerPending(e audit.Event) {
	if s.Pending != nil && s.Pending.Item == e.Item && s.Pending.Phase == e.Phase {
		s.Pending = nil
	}
}

// applyOperator records what people do beside running items: the stop
// rule, notes, refused actions, control handed over.
func (s *State) applyOperator(e audit.Event, at time.Time) {
	switch e.Kind {
	case event.KindStopTriggered:
		var p event.StopPayload
		decode(e.Payload, &p)
		s.Stop = &StopState{Phase: e.Phase, Item: e.Item, Guard: p.Guard, Reason: p.Reason, Choices: p.Choices, Since: at}
	case event.KindStopCleared:
		s.clearStop()
	case event.KindNote:
		var p event.NotePayload
		decode(e.Payload, &p)
		s.Notes = append(s.Notes, NoteRecord{Seq: e.Seq, Actor: e.Actor, Text: p.Text, At: at})
	case event.KindActionRefused:
		s.Refused++
	case event.KindControlHanded:
		var p event.ControlHandPayload
		decode(e.Payload, &p)
		s.Controller = p.To
	}
}

// applyIncident opens an emergency procedure, marks its steps, closes it.
func (s *State) applyIncident(e audit.Event, at time.Time) {
	var p event.IncidentPayload
	decode(e.Payload, &p)
	switch e.Kind {
	case event.KindIncidentOpened:
		if p.Procedure != "" {
			n := min(max(s.procSteps[p.Procedure], 0), maxIncidentSteps)
			s.Incidents = append(s.Incidents, IncidentState{
				Procedure: p.Procedure, Opened: at, Actor: e.Actor, StepsDone: make([]bool, n),
			})
		}
	case event.KindIncidentStep:
		if inc := s.incident(p.Procedure); inc != nil && p.Step >= 1 && p.Step <= maxIncidentSteps {
			for len(inc.StepsDone) < p.Step {
				inc.StepsDone = append(inc.StepsDone, false)
			}
			inc.StepsDone[p.Step-1] = true
		}
	case event.KindIncidentClosed:
		if inc := s.incident(p.Procedure); inc != nil {
			inc.Closed = true
		}
	}
}

// clearStop lifts the stop rule; a phase halted by it may go on.
func (s *State) clearStop() {
	if s.Stop == nil {
		return
	}
	if pi := s.phaseIndex(s.Stop.Phase); pi >= 0 && s.Phases[pi].Status == PhaseHalted {
		s.Phases[pi].Status = PhaseRunning
	}
	s.Stop = nil
}
