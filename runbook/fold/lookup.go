package fold

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
