package report

import (
	"context"
	"testing"
	"time"

	"runway/runbook/session"
	"runway/ui/internal/fixture"
)

const plannedRunbook = `version: 1
name: planned
window: {start: "2026-01-01T00:00:00Z", end: "2099-01-01T00:00:00Z"}
drift_tolerance: 10%
phases:
  - {id: one, title: One, expected: 1m, items: [{id: look, title: Look, manual: {expect: fine}}]}
`

// TestReportPlanAgainstActual: a phase an hour past its minute shows as a
// drift warning under "Plan against actual", with the window.
func TestReportPlanAgainstActual(t *testing.T) {
	late := func() time.Time { return time.Now().Add(time.Hour) }
	s, path := startSession(t, t.TempDir(), plannedRunbook, session.Options{Operator: "alice", Host: "h", Clock: late})
	fixture.Do(t, s, session.RunPhase{Phase: "one"}) // waits at the sign-off
	deadline := time.Now().Add(30 * time.Second)
	for len(s.State().Drifts) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no drift warning after 30s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	r, err := Build(context.Background(), path, s.ID())
	if err != nil {
		t.Fatal(err)
	}
	p := r.Plan
	if len(p.Drifts) != 1 || p.Drifts[0].What != "phase" || p.Drifts[0].Phase != "one" || p.WindowEnd == nil || p.Tolerance != "10%" {
		t.Fatalf("plan = %+v", p)
	}
	mustContain(t, "markdown", render(t, r, "markdown"), "## Plan against actual", "Window: 2026-01-01 00:00:00Z to 2099-01-01 00:00:00Z.",
		"| phase |", "Drift warnings (1)")
	mustContain(t, "html", render(t, r, "html"), `<h2 id="plan">Plan against actual</h2>`, "expected 1m")
	mustContain(t, "json", render(t, r, "json"), `"plan": {`, `"what": "phase"`)
}
