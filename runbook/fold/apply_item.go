package fold

import (
	"time"

	"runway/runbook/audit"
	"runway/runbook/event"
)

// applyItem records an item's attempt: started, waiting for its sign-off,
// retrying, its verdict, skipped or interrupted.
func (s *State) applyItem(e audit.Event, at time.Time) {
	it := s.item(e.Phase, e.Item)
	if it == nil {
		return
	}
	switch e.Kind {
	case event.KindItemStarted:
		p, ok := fastStarted(e.Payload)
		if !ok {
			p = event.Decode[event.StartedPayload](e.Payload)
		}
		it.Status, it.Attempt, it.Started, it.Ended = ItemRunning, p.Attempt, at, time.Time{}
		it.clearResult()
		if it.Engine != nil {
			it.Engine.Paused = false
		}
	case event.KindItemAwaiting:
		it.Status, it.Started, it.Ended = ItemAwaiting, at, time.Time{}
		it.clearResult()
	case event.KindItemRetrying:
		var p event.RetryPayload
		decode(e.Payload, &p)
		it.Summary = p.Summary
	case event.KindItemPassed, event.KindItemFailed:
		var p event.ResultPayload
		decode(e.Payload, &p)
		it.verdict(e.Kind == event.KindItemFailed, p, at)
	case event.KindItemSkipped:
		var p event.SkipPayload
		decode(e.Payload, &p)
		it.Status, it.Skip, it.Ended = ItemSkipped, p.Reason, at
	case event.KindItemInterrupted:
		it.Status, it.Ended = ItemInterrupted, at
	}
}

// verdict records an attempt's pass or failure.
func (it *ItemState) verdict(failed bool, p event.ResultPayload, at time.Time) {
	it.Status = ItemPassed
	if failed {
		it.Status = ItemFailed
	}
	if p.Attempt > 0 {
		it.Attempt = p.Attempt
	}
	it.Ended, it.Summary, it.Output = at, p.Summary, p.Output
	it.Critical = failed && p.Critical
	it.SignOff = p.SignOff
	if p.Engine != nil {
		it.engine().Result = p.Engine
	}
}

// applyProgress keeps the latest progress sample of each table.
func (s *State) applyProgress(e audit.Event) {
	p, ok := fastProgress(e.Payload)
	if !ok {
		p = event.Decode[event.ProgressPayload](e.Payload)
	}
	it := s.item(e.Phase, e.Item)
	if it == nil {
		return
	}
	eng := it.engine()
	for i := range eng.Tables {
		if eng.Tables[i].Table == p.Table {
			eng.Tables[i] = p
			return
		}
	}
	eng.Tables = append(eng.Tables, p)
}

// applyEngine records an engine's checkpoints, its plan and the lead's live
// controls.
func (s *State) applyEngine(e audit.Event) {
	if e.Kind == event.KindEnginePlan {
		if it := s.item(e.Phase, e.Item); it != nil {
			p := event.Decode[event.PlanPayload](e.Payload)
			it.engine().Plan = &p
		}
		return
	}
	if e.Kind == event.KindEngineCheckpoint {
		p, ok := fastCheckpoint(e.Payload)
		if !ok {
			p = event.Decode[event.CheckpointPayload](e.Payload)
		}
		if it := s.item(e.Phase, e.Item); it != nil {
			eng := it.engine()
			if eng.Checkpoint == nil {
				eng.Checkpoint = map[string]event.CheckpointPayload{}
			}
			eng.Checkpoint[p.Table] = p
		}
		return
	}
	var p event.ControlPayload
	decode(e.Payload, &p)
	it := s.item(e.Phase, e.Item)
	if it == nil {
		return
	}
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
