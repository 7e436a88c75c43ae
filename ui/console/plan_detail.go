package console

import (
	"strings"

	"runway/runbook/event"
)

// plan is the plan a copy acted on (its engine.plan event): per table the
// statement that created it or that it existed and fit, and each column
// type that changed on the way, for the lead who signs off that the types
// were reviewed. The statements are the databases' text: shown inert, and
// wrapped rather than cut so nothing of them is hidden at 80 columns.
func (d *detailText) plan(p *event.PlanPayload) {
	if p == nil || len(p.Tables) == 0 && len(p.Problems) == 0 {
		return
	}
	d.add("", d.sty.Muted.Render("Tables created (the plan the copy acted on):"))
	d.add(wrap(lines(strings.Join(event.PlanLines(*p), "\n")), d.w)...)
}
