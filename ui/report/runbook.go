package report

import (
	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/fold"
	"runway/runbook/text"
)

// parseStored reads the runbook text stored with the session again
// (runbook.ParseStored). A report never needs a secret: it shows the stored
// text and uses the parsed runbook only for titles, kinds, expectations and
// the risk register. It returns nil and the problem when the text does not
// parse.
func parseStored(info audit.SessionInfo) (*runbook.Runbook, string) {
	rb, err := runbook.ParseStored(info.RunbookPath, info.RunbookText)
	if err != nil {
		return nil, text.OneLine(err.Error())
	}
	return rb, ""
}

// risks lists the runbook's risk register with computed scores and levels.
func risks(rb *runbook.Runbook) []Risk {
	out := []Risk{}
	if rb == nil {
		return out
	}
	for _, r := range rb.Risks {
		out = append(out, Risk{
			ID: r.ID, Name: r.Name,
			Probability: string(r.Probability), Impact: string(r.Impact),
			Score: r.Score(), Level: string(r.Level()), Mitigation: r.Mitigation,
		})
	}
	return out
}

// titles finds the titles of phases, items and rollback steps by id.
type titles struct {
	phases map[string]string
	items  map[string]string // "phase/item"
	kinds  map[string]string // "phase/item" → kind
	crit   map[string]bool   // "phase/item" → critical
	expect map[string]string // "phase/item" → what a manual sign-off must see
}

func newTitles(rb *runbook.Runbook) titles {
	t := titles{
		phases: map[string]string{}, items: map[string]string{}, kinds: map[string]string{},
		crit: map[string]bool{}, expect: map[string]string{},
	}
	if rb == nil {
		return t
	}
	for _, p := range rb.Phases {
		t.phases[p.ID] = p.Title
		for _, it := range p.Items {
			k := p.ID + "/" + it.ID
			t.items[k], t.kinds[k], t.crit[k] = it.Title, it.Kind(), it.Critical
			if it.Manual != nil {
				t.expect[k] = it.Manual.Expect
			}
		}
		for j, it := range p.Rollback {
			k := p.ID + "/" + fold.StepID(p, j)
			t.items[k], t.kinds[k] = it.Title, it.Kind()
		}
	}
	return t
}

// phase is a phase's title, or its id when the runbook does not name it.
func (t titles) phase(id string) string {
	if s := t.phases[id]; s != "" {
		return s
	}
	return id
}

// item is an item's title, or its id.
func (t titles) item(phase, id string) string {
	if s := t.items[phase+"/"+id]; s != "" {
		return s
	}
	return id
}
