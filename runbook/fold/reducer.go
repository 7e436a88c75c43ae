package fold

import (
	"encoding/json"
	"strconv"
	"time"

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
	if e.Actor != "" && !containsString(s.Actors, e.Actor) {
		s.Actors = append(s.Actors, e.Actor)
	}
	switch e.Kind {
	case event.KindSessionOpened:
		var p struct {
			Operator string `json:"operator"`
			Host     string `json:"host"`
		}
		decode(e.Payload, &p)
		s.Session, s.Operator, s.Host, s.Started = e.Session, p.Operator, p.Host, at
		if s.Operator == "" {
			s.Operator = e.Actor
		}
	case event.KindSessionResumed:
		s.Closed = false
	case event.KindSessionClosed:
		s.Closed = true

	case event.KindPhaseStarted:
		if pi := s.phaseIndex(e.Phase); pi >= 0 {
			ph := &s.Phases[pi]
			ph.Status, ph.Started, ph.Ended = PhaseRunning, at, time.Time{}
			s.Current = pi
		}
	case event.KindPhasePassed:
		if pi := s.phaseIndex(e.Phase); pi >= 0 {
			ph := &s.Phases[pi]
			ph.Status, ph.Ended = PhasePassed, at
			if pi+1 < len(s.Phases) {
				if next := &s.Phases[pi+1]; next.Status == PhaseLocked {
					next.Status = PhaseReady
				}
				s.Current = pi + 1
			}
		}
	case event.KindPhaseHalted:
		if pi := s.phaseIndex(e.Phase); pi >= 0 {
			s.Phases[pi].Status = PhaseHalted
			s.Current = pi
		}

	case event.KindItemStarted:
		p, ok := fastStarted(e.Payload)
		if !ok {
			p = decodeAs[event.StartedPayload](e.Payload)
		}
		if it := s.item(e.Phase, e.Item); it != nil {
			it.Status, it.Attempt, it.Started, it.Ended = ItemRunning, p.Attempt, at, time.Time{}
			it.clearResult()
			if it.Engine != nil {
				it.Engine.Paused = false
			}
		}
	case event.KindItemAwaiting:
		if it := s.item(e.Phase, e.Item); it != nil {
			it.Status, it.Started, it.Ended = ItemAwaiting, at, time.Time{}
			it.clearResult()
		}
	case event.KindItemRetrying:
		var p event.RetryPayload
		decode(e.Payload, &p)
		if it := s.item(e.Phase, e.Item); it != nil {
			it.Summary = p.Summary
		}
	case event.KindItemPassed, event.KindItemFailed:
		var p event.ResultPayload
		decode(e.Payload, &p)
		if it := s.item(e.Phase, e.Item); it != nil {
			it.Status = ItemPassed
			if e.Kind == event.KindItemFailed {
				it.Status = ItemFailed
			}
			if p.Attempt > 0 {
				it.Attempt = p.Attempt
			}
			it.Ended, it.Summary, it.Output = at, p.Summary, p.Output
			it.Critical = e.Kind == event.KindItemFailed && p.Critical
			it.SignOff = p.SignOff
			if p.Engine != nil {
				eng := it.engine()
				eng.Result = p.Engine
			}
		}
	case event.KindItemSkipped:
		var p event.SkipPayload
		decode(e.Payload, &p)
		if it := s.item(e.Phase, e.Item); it != nil {
			it.Status, it.Skip, it.Ended = ItemSkipped, p.Reason, at
		}
	case event.KindItemInterrupted:
		if it := s.item(e.Phase, e.Item); it != nil {
			it.Status, it.Ended = ItemInterrupted, at
		}

	case event.KindOverrideRequested:
		var p event.OverridePayload
		decode(e.Payload, &p)
		s.Pending = &OverrideRecord{Phase: e.Phase, Item: e.Item, OverridePayload: p, At: at}
	case event.KindOverrideApproved, event.KindOverrideRejected:
		if s.Pending != nil && s.Pending.Item == e.Item && s.Pending.Phase == e.Phase {
			s.Pending = nil
		}
	case event.KindItemOverridden:
		var p event.OverridePayload
		decode(e.Payload, &p)
		rec := OverrideRecord{Phase: e.Phase, Item: e.Item, OverridePayload: p, At: at}
		s.Overrides = append(s.Overrides, rec)
		if it := s.item(e.Phase, e.Item); it != nil {
			r := rec
			it.Status, it.Override, it.Ended = ItemOverridden, &r, at
		}
		if s.Pending != nil && s.Pending.Item == e.Item && s.Pending.Phase == e.Phase {
			s.Pending = nil
		}

	case event.KindStopTriggered:
		var p event.StopPayload
		decode(e.Payload, &p)
		s.Stop = &StopState{Phase: e.Phase, Item: e.Item, Reason: p.Reason, Choices: p.Choices, Since: at}
	case event.KindStopCleared:
		s.clearStop()

	case event.KindNote:
		var p event.NotePayload
		decode(e.Payload, &p)
		s.Notes = append(s.Notes, NoteRecord{Actor: e.Actor, Text: p.Text, At: at})

	case event.KindRollbackPointSet:
		var p event.RollbackPointPayload
		decode(e.Payload, &p)
		if p.Name != "" {
			s.RollbackPoints = append(s.RollbackPoints, RollbackPoint{
				Name: p.Name, Phase: e.Phase, Seq: e.Seq, Checksum: p.Checksum, At: at,
			})
		}
	case event.KindRollbackStarted:
		var p event.RollbackPayload
		decode(e.Payload, &p)
		s.Rollback = &RollbackState{Point: p.Point, Steps: p.Steps, Running: true, Started: at}
	case event.KindRollbackStepStart, event.KindRollbackStepAwait, event.KindRollbackStepPassed, event.KindRollbackStepFailed:
		var p event.RollbackStepPayload
		decode(e.Payload, &p)
		st := s.step(e.Phase, e.Item)
		if st == nil {
			break
		}
		switch e.Kind {
		case event.KindRollbackStepStart:
			st.Status, st.Started, st.Ended, st.Summary, st.Output = ItemRunning, at, time.Time{}, "", ""
			st.Attempt++
		case event.KindRollbackStepAwait:
			st.Status = ItemAwaiting
		case event.KindRollbackStepPassed:
			st.Status, st.Ended, st.Summary, st.Output = ItemPassed, at, p.Summary, p.Output
			if s.Rollback != nil {
				s.Rollback.Done++
			}
		default:
			st.Status, st.Ended, st.Summary, st.Output = ItemFailed, at, p.Summary, p.Output
		}
	case event.KindRollbackFinished:
		var p event.RollbackPayload
		decode(e.Payload, &p)
		s.finishRollback(p, at)

	case event.KindEngineProgress:
		p, ok := fastProgress(e.Payload)
		if !ok {
			p = decodeAs[event.ProgressPayload](e.Payload)
		}
		if it := s.item(e.Phase, e.Item); it != nil {
			eng := it.engine()
			for i := range eng.Tables {
				if eng.Tables[i].Table == p.Table {
					eng.Tables[i] = p
					return
				}
			}
			eng.Tables = append(eng.Tables, p)
		}
	case event.KindEngineCheckpoint:
		p, ok := fastCheckpoint(e.Payload)
		if !ok {
			p = decodeAs[event.CheckpointPayload](e.Payload)
		}
		if it := s.item(e.Phase, e.Item); it != nil {
			eng := it.engine()
			if eng.Checkpoint == nil {
				eng.Checkpoint = map[string]event.CheckpointPayload{}
			}
			eng.Checkpoint[p.Table] = p
		}
	case event.KindEngineControl:
		var p event.ControlPayload
		decode(e.Payload, &p)
		if it := s.item(e.Phase, e.Item); it != nil {
			eng := it.engine()
			switch p.Action {
			case "pause":
				eng.Paused = true
			case "resume":
				eng.Paused = false
			case "rate":
				eng.Rate, eng.RateSet = p.Rate, true
			}
		}

	case event.KindIncidentOpened:
		var p event.IncidentPayload
		decode(e.Payload, &p)
		if p.Procedure != "" {
			n := min(max(s.procSteps[p.Procedure], 0), maxIncidentSteps)
			s.Incidents = append(s.Incidents, IncidentState{
				Procedure: p.Procedure, Opened: at, Actor: e.Actor, StepsDone: make([]bool, n),
			})
		}
	case event.KindIncidentStep:
		var p event.IncidentPayload
		decode(e.Payload, &p)
		if inc := s.incident(p.Procedure); inc != nil && p.Step >= 1 && p.Step <= maxIncidentSteps {
			for len(inc.StepsDone) < p.Step {
				inc.StepsDone = append(inc.StepsDone, false)
			}
			inc.StepsDone[p.Step-1] = true
		}
	case event.KindIncidentClosed:
		var p event.IncidentPayload
		decode(e.Payload, &p)
		if inc := s.incident(p.Procedure); inc != nil {
			inc.Closed = true
		}

	case event.KindActionRefused:
		s.Refused++
	case event.KindControlHanded:
		var p event.ControlHandPayload
		decode(e.Payload, &p)
		s.Controller = p.To
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

// finishRollback closes the latest rollback. On success every phase after the
// point's phase starts over: its items are pending again, the first of them is
// ready and the ones that had done work are shown as rolled back.
func (s *State) finishRollback(p event.RollbackPayload, at time.Time) {
	if s.Rollback == nil {
		s.Rollback = &RollbackState{Point: p.Point, Started: at}
	}
	rs := s.Rollback
	rs.Running, rs.OK, rs.Reason, rs.Finished = false, p.OK, p.Reason, at
	if !p.OK {
		for pi := range s.Phases {
			for j := range s.Phases[pi].Rollback {
				if st := &s.Phases[pi].Rollback[j]; st.Status == ItemRunning || st.Status == ItemAwaiting {
					st.Status, st.Ended = ItemInterrupted, at
				}
			}
		}
		return
	}
	pt := s.point(rs.Point)
	if pt == nil {
		return
	}
	from := s.phaseIndex(pt.Phase) + 1 // -1 + 1 = 0 for a point set before any phase passed
	for pi := from; pi < len(s.Phases); pi++ {
		ph := &s.Phases[pi]
		switch {
		case ph.Status != PhaseLocked && ph.Status != PhaseReady:
			ph.Status = PhaseRolledBack
		case pi == from:
			ph.Status = PhaseReady
		default:
			ph.Status = PhaseLocked
		}
		for j := range ph.Items {
			ph.Items[j] = ItemState{ID: ph.Items[j].ID, Status: ItemPending}
		}
		ph.Generation++
	}
	if from < len(s.Phases) {
		s.Current = from
	}
	// Points set after the one rolled back to no longer describe anything real.
	kept := s.RollbackPoints[:0]
	for _, rp := range s.RollbackPoints {
		if rp.Seq <= pt.Seq {
			kept = append(kept, rp)
		}
	}
	s.RollbackPoints = kept
	s.Stop, s.Pending = nil, nil
}

// PhaseIndex is the index of the phase with id, or -1.
func (s State) PhaseIndex(id string) int { return s.phaseIndex(id) }

func (s *State) phaseIndex(id string) int {
	if id == "" {
		return -1
	}
	for i := range s.Phases {
		if s.Phases[i].ID == id {
			return i
		}
	}
	return -1
}

// Item finds an item by phase and id; phase "" searches every phase. The
// pointer is into s's own phases: nil when there is no such item.
func (s State) Item(phase, id string) *ItemState { return s.item(phase, id) }

func (s *State) item(phase, id string) *ItemState {
	if id == "" {
		return nil
	}
	for pi := range s.Phases {
		ph := &s.Phases[pi]
		if phase != "" && ph.ID != phase {
			continue
		}
		for j := range ph.Items {
			if ph.Items[j].ID == id {
				return &ph.Items[j]
			}
		}
	}
	return nil
}

func (s *State) step(phase, id string) *ItemState {
	pi := s.phaseIndex(phase)
	if pi < 0 {
		return nil
	}
	for j := range s.Phases[pi].Rollback {
		if s.Phases[pi].Rollback[j].ID == id {
			return &s.Phases[pi].Rollback[j]
		}
	}
	return nil
}

// point is the latest rollback point with the name, or nil.
func (s *State) point(name string) *RollbackPoint {
	for i := len(s.RollbackPoints) - 1; i >= 0; i-- {
		if s.RollbackPoints[i].Name == name {
			return &s.RollbackPoints[i]
		}
	}
	return nil
}

// Point is the latest rollback point with the name, or nil.
func (s State) Point(name string) *RollbackPoint { return s.point(name) }

// OpenIncident is the latest open incident of the procedure, or nil.
func (s State) OpenIncident(procedure string) *IncidentState { return s.incident(procedure) }

// incident is the latest open incident of the procedure, or nil.
func (s *State) incident(procedure string) *IncidentState {
	for i := len(s.Incidents) - 1; i >= 0; i-- {
		if s.Incidents[i].Procedure == procedure && !s.Incidents[i].Closed {
			return &s.Incidents[i]
		}
	}
	return nil
}

// clearResult forgets the verdict of an item's previous attempt when it runs
// or waits again, so no stale "fail" is shown beside a new attempt. The
// retry's reason (item.retrying) is kept until the next attempt begins.
func (it *ItemState) clearResult() {
	it.Critical, it.Summary, it.Output, it.SignOff, it.Skip = false, "", "", nil, ""
	if it.Engine != nil {
		it.Engine.Result = nil
	}
}

func (it *ItemState) engine() *EngineState {
	if it.Engine == nil {
		it.Engine = &EngineState{}
	}
	return it.Engine
}

// decodeAs decodes a payload into a fresh T (so that only the slow path's
// value escapes to the heap).
func decodeAs[T any](raw json.RawMessage) T {
	var v T
	decode(raw, &v)
	return v
}

// decode reads a payload into v; an unreadable payload leaves v as it is
// (the zero value), which every case above treats as "nothing to record".
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
