package report

import (
	"fmt"
	"strings"

	"runway/runbook/event"
	"runway/runbook/text"
)

// engines is the section on each data engine run, with its figures.
func (m *md) engines(r *Report) {
	m.h2("Engines", len(r.Engines))
	if len(r.Engines) == 0 {
		m.p("No data engine ran.")
	}
	for _, e := range r.Engines {
		m.p("\n### %s — %s (%s, attempt %s): %s\n", cell(e.Item), cell(e.Title), cell(e.Kind), attempts(e.Attempt), Mark(e.Verdict))
		if e.Summary != "" {
			m.p("%s\n", lead(e.Summary))
		}
		if len(e.Tables) > 0 {
			heads := []string{"Table", "Rows", "Time", "Rate"}
			if comparing(e) {
				heads = append(heads, "Missing", "Extra", "Different")
			}
			m.table(heads...)
			for _, t := range e.Tables {
				rows := Count(t.Rows)
				if t.Total > 0 {
					rows += " of " + Count(t.Total)
				}
				cells := []string{t.Table, rows, secs(t.Seconds), Rate(t.RowsPerSec)}
				if comparing(e) {
					cells = append(cells, Count(t.Missing), Count(t.Extra), Count(t.Different))
				}
				m.row(cells...)
			}
			m.p("")
		}
		if f := engineFigures(e); f != "" {
			m.p("- %s", f)
		}
		for _, d := range e.Differences {
			m.p("- %s", cell(diffText(d)))
		}
		if e.Plan != nil {
			m.p("\n#### Tables created\n")
			m.fence("", planText(e.Plan))
		}
	}
}

// planText is a copy's recorded plan as plain lines (see event.PlanLines).
func planText(p *event.PlanPayload) string {
	if p == nil {
		return ""
	}
	return strings.Join(event.PlanLines(*p), "\n")
}

// engineFigures is a run's match rate, differences and repairs in one line.
func engineFigures(e Engine) string {
	parts := []string{}
	if e.MatchRate != nil {
		parts = append(parts, "match rate "+Percent(*e.MatchRate))
	}
	if e.MatchRate != nil || e.DiffCount > 0 || e.Repaired > 0 || comparing(e) && len(e.Tables) > 0 {
		parts = append(parts, text.Count(int(e.DiffCount), "difference found", "differences found"), Count(e.Repaired)+" repaired")
	}
	if e.Checkpoints > 0 {
		parts = append(parts, text.Count(e.Checkpoints, "checkpoint", "checkpoints"))
	}
	if e.Sampled != "" {
		parts = append(parts, "sampled: "+e.Sampled)
	}
	return strings.Join(parts, " · ")
}

// comparing reports whether an engine run compares two sides (verify,
// compare) or found differences anyway: only then do its missing, extra and
// different counts mean anything.
func comparing(e Engine) bool {
	if e.Kind == "verify" || e.Kind == "compare" {
		return true
	}
	for _, t := range e.Tables {
		if t.Missing+t.Extra+t.Different > 0 {
			return true
		}
	}
	return false
}

func diffText(d Difference) string {
	s := fmt.Sprintf("%s %s key (%s)", d.Table, d.Type, strings.Join(d.Key, ", "))
	if len(d.Columns) > 0 {
		s += " in " + strings.Join(d.Columns, ", ")
	}
	return s
}

func secs(s float64) string {
	if s <= 0 {
		return "-"
	}
	return Duration(secDur(s))
}
