package forecast

import (
	"testing"
	"time"

	"runway/runbook/event"
	"runway/runbook/fold"
)

func TestDrifts(t *testing.T) {
	const window = `window: {start: "2026-12-06 21:00 UTC", end: "2026-12-06 23:30 UTC"}`
	rb := load(t, window) // prep expects 30m, tolerance 25 %: drift after 37m30s
	cases := []struct {
		name   string
		now    time.Time
		warned []fold.DriftRecord
		want   []string
	}{
		{"within the tolerance", at(37), nil, nil},
		{"past the tolerance", at(38), nil, []string{event.DriftPhase}},
		{"already warned in this run", at(40), []fold.DriftRecord{drift("prep", event.DriftPhase, at(38))}, nil},
		{"warned in an earlier run of the phase", at(40), []fold.DriftRecord{drift("prep", event.DriftPhase, at(-5))}, []string{event.DriftPhase}},
		// 46 + 30 + 15 = 91m: 23:31, past the window's end 23:30.
		{"the forecast passes the window's end", at(46), []fold.DriftRecord{drift("prep", event.DriftPhase, at(38))}, []string{event.DriftWindow}},
		{"both at once", at(46), nil, []string{event.DriftPhase, event.DriftWindow}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := state(rb, 0, at(0))
			st.Drifts = c.warned
			in := Input{Runbook: rb, State: st, Now: c.now}
			got := Drifts(in, Of(in))
			var what []string
			for _, d := range got {
				what = append(what, d.What)
				if d.Phase != "prep" || d.Plan.IsZero() || d.Forecast.IsZero() {
					t.Errorf("drift %+v lacks its phase, plan or forecast", d)
				}
			}
			if len(what) != len(c.want) || (len(what) > 0 && (what[0] != c.want[0] || what[len(what)-1] != c.want[len(c.want)-1])) {
				t.Errorf("drifts = %v, want %v", what, c.want)
			}
		})
	}
}

func TestNoDriftBeforeAPhaseStarts(t *testing.T) {
	rb := load(t, `window: {start: "2026-12-06 21:00 UTC", end: "2026-12-06 21:30 UTC"}`)
	in := Input{Runbook: rb, State: state(rb, 0, time.Time{}), Now: at(120)}
	if got := Drifts(in, Of(in)); len(got) != 0 {
		t.Errorf("drifts before the phase started: %+v", got)
	}
}

func drift(phase, what string, when time.Time) fold.DriftRecord {
	return fold.DriftRecord{Phase: phase, DriftPayload: event.DriftPayload{What: what}, At: when}
}
