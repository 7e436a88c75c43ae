package event

import (
	"fmt"
	"strings"

	"runway/runbook/audit"
	"runway/runbook/text"
)

// PlanPayload is the plan a copy item acted on, recorded before its first
// write so that a "types reviewed" sign-off can be checked against it: per
// table the statements that created the target (or that it existed and
// fit), the column types that changed on the way, and the target's triggers
// and foreign keys. Statements and types are the databases' own text: shown
// inert, never interpreted.
type PlanPayload struct {
	Engine   string      `json:"engine"`
	Tables   []TablePlan `json:"tables"`
	Problems []string    `json:"problems,omitempty"` // why the engine refused to start
}

// TablePlan is one table of a PlanPayload.
type TablePlan struct {
	Table    string       `json:"table"`
	Target   string       `json:"target,omitempty"` // the target table's name
	Exists   bool         `json:"exists,omitempty"` // it existed before the copy
	Fits     bool         `json:"fits,omitempty"`   // it existed and its columns fit
	Create   []string     `json:"create,omitempty"`
	Deferred []string     `json:"deferred,omitempty"` // indexes added once the rows are in
	Types    []TypeChange `json:"types,omitempty"`
	Triggers []string     `json:"triggers,omitempty"`
	Foreign  []string     `json:"foreign,omitempty"`
	Notes    []string     `json:"notes,omitempty"`
}

// TypeChange is one column whose target type differs from its source type.
type TypeChange struct {
	Column string `json:"column"`
	From   string `json:"from"`
	To     string `json:"to"`
}

// TargetWords says what became of the target table.
func (t TablePlan) TargetWords() string {
	switch {
	case t.Exists && t.Fits:
		return "exists, columns fit"
	case t.Exists:
		return "exists, does not fit"
	case len(t.Create) > 0:
		return "created"
	}
	return "not planned"
}

func planWords(e audit.Event) Words {
	p := Decode[PlanPayload](e.Payload)
	created := 0
	for _, t := range p.Tables {
		if !t.Exists && len(t.Create) > 0 {
			created++
		}
	}
	what := fmt.Sprintf("%s, %d created", text.Counts(len(p.Tables), "table"), created)
	if len(p.Problems) > 0 {
		what += ", " + text.Counts(len(p.Problems), "problem")
	}
	return Words{"plan", what}
}

// PlanLines writes a recorded plan as plain lines for the console's item
// detail, replay and the report: per table its target, the statements that
// created it, each changed column type, triggers and foreign keys.
// Statements keep their own line breaks, indented; the caller makes the
// text inert.
func PlanLines(p PlanPayload) []string {
	var out []string
	for _, t := range p.Tables {
		name := t.Table
		if t.Target != "" && t.Target != t.Table {
			name += " → " + t.Target
		}
		out = append(out, name+": "+t.TargetWords())
		out = append(out, indentAll(t.Create, "    ")...)
		if len(t.Deferred) > 0 {
			out = append(out, "  and once the rows are in:")
			out = append(out, indentAll(t.Deferred, "    ")...)
		}
		for _, c := range t.Types {
			out = append(out, fmt.Sprintf("  type %s: %s → %s", c.Column, c.From, c.To))
		}
		if len(t.Triggers) > 0 {
			out = append(out, "  triggers: "+strings.Join(t.Triggers, ", "))
		}
		if len(t.Foreign) > 0 {
			out = append(out, "  foreign keys: "+strings.Join(t.Foreign, ", "))
		}
		for _, n := range t.Notes {
			out = append(out, "  "+n)
		}
	}
	for _, pr := range p.Problems {
		out = append(out, "problem: "+pr)
	}
	return out
}

func indentAll(stmts []string, pad string) []string {
	var out []string
	for _, q := range stmts {
		for _, l := range strings.Split(q, "\n") {
			out = append(out, pad+l)
		}
	}
	return out
}
