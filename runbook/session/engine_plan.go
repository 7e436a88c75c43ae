package session

import (
	"fmt"

	"runway/engine"
	"runway/runbook/event"
)

// planPayload is the record of a copy's plan: what it created and how the
// column types changed, masked by redact like every text the session writes
// (statements come from the databases' catalogs, never from a DSN).
func planPayload(p *engine.Plan, redact func(string) string) event.PlanPayload {
	if redact == nil {
		redact = func(s string) string { return s }
	}
	all := func(ss []string) []string {
		var out []string
		for _, s := range ss {
			out = append(out, redact(s))
		}
		return out
	}
	out := event.PlanPayload{Engine: p.Engine}
	for _, tp := range p.Tables {
		t := event.TablePlan{Table: tp.Name, Target: tp.TargetName, Exists: tp.Exists, Fits: tp.Compatible,
			Create: all(tp.Create), Deferred: all(tp.Deferred), Notes: all(tp.Notes)}
		for _, c := range tp.Types {
			t.Types = append(t.Types, event.TypeChange{Column: c.Column, From: redact(c.From), To: redact(c.To)})
		}
		for _, tr := range tp.Triggers {
			t.Triggers = append(t.Triggers, redact(tr.Name+" ("+tr.When+")"))
		}
		for _, f := range tp.Foreign {
			t.Foreign = append(t.Foreign, redact(fmt.Sprintf("%s (%s) → %s", f.Name, f.Columns, f.References)))
		}
		out.Tables = append(out.Tables, t)
	}
	for _, pr := range p.Problems {
		out.Problems = append(out.Problems, redact(pr.Text))
	}
	return out
}
