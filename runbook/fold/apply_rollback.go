package fold

import (
	"time"

	"runway/runbook/audit"
	"runway/runbook/event"
)

// applyRollback records a rollback point, and a rollback's start and end.
func (s *State) applyRollback(e audit.Event, at time.Time) {
	switch e.Kind {
	case event.KindRollbackPointSet:
		var p event.RollbackPointPayload
		decode(e.Payload, &p)
		if p.Name != "" {
			s.RollbackPoints = append(s.RollbackPoints, RollbackPoint{
				Name: p.Name, Phase: e.Phase, Seq: e.Seq, Actor: e.Actor, Checksum: p.Checksum, At: at,
			})
		}
	case event.KindRollbackStarted:
		var p event.RollbackPayload
		decode(e.Payload, &p)
		s.Rollback = &RollbackState{Point: p.Point, Steps: p.Steps, Running: true, Started: at}
	case event.KindRollbackFinished:
		var p event.RollbackPayload
		decode(e.Payload, &p)
		s.finishRollback(p, at)
	}
}

// applyRollbackStep records one rollback step's progress or verdict.
func (s *State) applyRollbackStep(e audit.Event, at time.Time) {
	var p event.RollbackStepPayload
	decode(e.Payload, &p)
	st := s.step(e.Phase, e.Item)
	if st == nil {
		return
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
		} else {
			s.Discarded = append(s.Discarded, rp)
		}
	}
	s.RollbackPoints = kept
	s.Stop, s.Pending = nil, nil
}
