package runbook

// Phase finds a phase by id, returning it and its index, or nil and -1.
func (rb *Runbook) Phase(id string) (*Phase, int) {
	for i := range rb.Phases {
		if rb.Phases[i].ID == id {
			return &rb.Phases[i], i
		}
	}
	return nil, -1
}

// Item finds an item or a rollback step by id within a phase; an empty
// phaseID searches every phase (item ids are unique across a runbook).
func (rb *Runbook) Item(phaseID, itemID string) (*Item, bool) {
	for i := range rb.Phases {
		p := &rb.Phases[i]
		if phaseID != "" && p.ID != phaseID {
			continue
		}
		for _, list := range [][]Item{p.Items, p.Rollback} {
			for j := range list {
				if list[j].ID == itemID {
					return &list[j], true
				}
			}
		}
	}
	return nil, false
}

// Conn finds a connection by name.
func (rb *Runbook) Conn(name string) (Connection, bool) {
	for _, c := range rb.Connections {
		if c.Name == name {
			return c, true
		}
	}
	return Connection{}, false
}
