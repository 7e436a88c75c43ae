package session

import (
	"fmt"

	"runway/runbook/event"
	"runway/runbook/fold"
)

// doEngineControl pauses, resumes or re-rates a running engine.
func (s *Session) doEngineControl(t *tx, a Action) error {
	var item string
	var p event.ControlPayload
	switch a := a.(type) {
	case PauseEngine:
		item, p = a.Item, event.ControlPayload{Action: "pause"}
	case ResumeEngine:
		item, p = a.Item, event.ControlPayload{Action: "resume"}
	case SetRate:
		if a.Rate < 0 {
			return t.refuse(a, fmt.Sprintf("rate %d rows/s is negative (0 = unlimited)", a.Rate))
		}
		item, p = a.Item, event.ControlPayload{Action: "rate", Rate: a.Rate}
	}
	pi, _, ok := findItem(s.rb, "", item)
	if !ok {
		return t.refuse(a, fmt.Sprintf("no item %q", item))
	}
	ctl := s.controls.get(item)
	if ctl == nil {
		return t.refuse(a, fmt.Sprintf("item %s has no engine running", item))
	}
	if why := s.controlRefusal(t.st(), item, ctl.Paused(), p.Action); why != "" {
		return t.refuse(a, why)
	}
	switch p.Action {
	case "pause":
		ctl.Pause()
	case "resume":
		ctl.Resume()
	case "rate":
		ctl.SetRate(p.Rate)
	}
	return t.emit(a.actor(), event.KindEngineControl, s.rb.Phases[pi].ID, item, p)
}

// controlRefusal says why a pause or resume may not happen now, or "": a
// key pressed twice before the screen caught up does nothing twice, and an
// engine a critical guard paused stays paused until the lead has
// acknowledged the guard (the stop rule holds the work, not just the phase).
func (s *Session) controlRefusal(st *fold.State, item string, paused bool, action string) string {
	switch {
	case action == "pause" && paused:
		return item + " is already paused"
	case action == "resume" && !paused:
		return item + " is not paused"
	case action == "resume":
		if g, ok := s.holdingGuard(st); ok {
			return "guard " + g.ID + " is critical and not acknowledged: acknowledge it first (o), then resume"
		}
	}
	return ""
}

// doIncident opens, walks and closes emergency procedures.
func (s *Session) doIncident(t *tx, a Action) error {
	var proc string
	switch a := a.(type) {
	case OpenIncident:
		proc = a.Procedure
	case IncidentStep:
		proc = a.Procedure
	case CloseIncident:
		proc = a.Procedure
	}
	steps := -1
	for _, p := range s.rb.Procedures {
		if p.ID == proc {
			steps = len(p.Steps)
		}
	}
	if steps < 0 {
		return t.refuse(a, fmt.Sprintf("no procedure %q in the runbook", proc))
	}
	open := t.st().OpenIncident(proc) != nil
	switch a := a.(type) {
	case OpenIncident:
		if open {
			return t.refuse(a, fmt.Sprintf("procedure %s is already open", proc))
		}
		return t.emit(a.Actor, event.KindIncidentOpened, "", "", event.IncidentPayload{Procedure: proc})
	case IncidentStep:
		if !open {
			return t.refuse(a, fmt.Sprintf("procedure %s is not open", proc))
		}
		if a.Step < 1 || a.Step > steps {
			return t.refuse(a, fmt.Sprintf("procedure %s has steps 1 to %d, not %d", proc, steps, a.Step))
		}
		return t.emit(a.Actor, event.KindIncidentStep, "", "", event.IncidentPayload{Procedure: proc, Step: a.Step})
	default:
		if !open {
			return t.refuse(a, fmt.Sprintf("procedure %s is not open", proc))
		}
		return t.emit(a.actor(), event.KindIncidentClosed, "", "", event.IncidentPayload{Procedure: proc})
	}
}
