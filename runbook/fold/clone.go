package fold

import (
	"maps"

	"runway/runbook/event"
)

// Clone is a deep copy of the state: nothing in it shares memory with s that
// the reducer could change later, so a reader may keep it while the session goes on.
func (s State) Clone() State {
	c := s
	c.Phases = nil
	for _, p := range s.Phases {
		p.Items = cloneItems(p.Items)
		p.Rollback = cloneItems(p.Rollback)
		c.Phases = append(c.Phases, p)
	}
	if s.Stop != nil {
		st := *s.Stop
		st.Choices = append([]string(nil), s.Stop.Choices...)
		c.Stop = &st
	}
	c.RollbackPoints = append([]RollbackPoint(nil), s.RollbackPoints...)
	c.Discarded = append([]RollbackPoint(nil), s.Discarded...)
	if s.Rollback != nil {
		r := *s.Rollback
		r.Steps = append([]string(nil), s.Rollback.Steps...)
		c.Rollback = &r
	}
	c.Overrides = append([]OverrideRecord(nil), s.Overrides...)
	if s.Pending != nil {
		p := *s.Pending
		c.Pending = &p
	}
	c.Notes = append([]NoteRecord(nil), s.Notes...)
	c.Incidents = nil
	for _, inc := range s.Incidents {
		inc.StepsDone = append([]bool(nil), inc.StepsDone...)
		c.Incidents = append(c.Incidents, inc)
	}
	c.Actors = append([]string(nil), s.Actors...)
	c.Parts = append([]Part(nil), s.Parts...)
	c.Channels = append([]ChannelState(nil), s.Channels...)
	c.Guards = cloneGuards(s.Guards) // apply_guard.go
	c.Drifts = append([]DriftRecord(nil), s.Drifts...)
	// procSteps is set once by NewState and only read afterwards: shared.
	return c
}

func cloneItems(items []ItemState) []ItemState {
	if items == nil {
		return nil
	}
	out := make([]ItemState, len(items))
	for i, it := range items {
		ci := it
		if it.SignOff != nil {
			so := *it.SignOff
			ci.SignOff = &so
		}
		if it.Override != nil {
			o := *it.Override
			ci.Override = &o
		}
		if it.Engine != nil {
			ci.Engine = cloneEngine(it.Engine)
		}
		out[i] = ci
	}
	return out
}

func cloneEngine(e *EngineState) *EngineState {
	c := *e // Plan is shared: the fold replaces it whole, never edits it
	c.Tables = append([]event.ProgressPayload(nil), e.Tables...)
	if e.Checkpoint != nil {
		c.Checkpoint = maps.Clone(e.Checkpoint)
		for k, cp := range c.Checkpoint {
			cp.LastKey = append([]string(nil), cp.LastKey...)
			c.Checkpoint[k] = cp
		}
	}
	if e.Result != nil {
		r := *e.Result
		r.Tables = append([]event.TableSummary(nil), e.Result.Tables...)
		if e.Result.MatchRate != nil {
			m := *e.Result.MatchRate
			r.MatchRate = &m
		}
		r.Differences = nil
		for _, d := range e.Result.Differences {
			d.Key = append([]string(nil), d.Key...)
			d.Columns = append([]string(nil), d.Columns...)
			r.Differences = append(r.Differences, d)
		}
		c.Result = &r
	}
	return &c
}
