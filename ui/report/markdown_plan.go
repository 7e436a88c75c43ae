package report

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
		m.p("Window: %s to %s.\n", Stamp(*p.WindowStart), Stamp(*p.WindowEnd))
	}
	if p.PlanEnd != nil && p.End != nil {
		end := "forecast end at the last event"
		if p.Finished {
			end = "ended"
		}
		m.p("Planned end %s; %s %s (%s). Drift tolerance %s of a phase's expected time.\n",
			Stamp(*p.PlanEnd), end, Stamp(*p.End), cell(p.Slip), p.Tolerance)
	}
	if len(p.Drifts) == 0 {
		m.p("No drift warnings.")
		return
	}
	m.p("Drift warnings (%d), go/no-go inputs, never stops:\n", len(p.Drifts))
	m.table("When", "Phase", "What", "Detail")
	for _, d := range p.Drifts {
		m.row(Stamp(d.At), orString(d.Phase, "-"), d.What, d.Summary)
	}
}
