package report

import "time"

// plan writes "Plan against actual": the window, the planned and the actual
// (or forecast) end, and the drift warnings. Nothing when the runbook plans
// no time and nothing drifted.
func (m *md) plan(r *Report) {
	p := r.Plan
	if !p.Shown() {
		return
	}
	m.h2("Plan against actual", -1)
	if p.WindowStart != nil && p.WindowEnd != nil {
		m.p("Window: %s to %s.", Stamp(*p.WindowStart), Stamp(*p.WindowEnd))
	}
	if p.PlanEnd != nil && p.End != nil {
		end := "Forecast end at the last event"
		if p.Finished {
			end = "Ended"
		}
		m.p("Planned end %s; %s %s (%s). Drift tolerance %s of a phase's expected time.",
			Stamp(*p.PlanEnd), lower(end), Stamp(*p.End), cell(p.Slip), p.Tolerance)
	}
	if len(p.Drifts) == 0 {
		m.p("\nNo drift warnings.")
		return
	}
	m.p("\nDrift warnings (%d), go/no-go inputs, never stops:\n", len(p.Drifts))
	m.table("When", "Phase", "What", "Plan", "Forecast", "Detail")
	for _, d := range p.Drifts {
		m.row(Stamp(d.At), orString(d.Phase, "-"), d.What, clock(d.Plan), clock(d.Forecast), d.Summary)
	}
}

func lower(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

func clock(t time.Time) string { return t.UTC().Format("15:04 UTC") }
