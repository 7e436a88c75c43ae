package forecast

import (
	"time"

	"runway/runbook/event"
)

// Drift is a drift the forecast shows: the current phase ran past its
// expected time by the tolerance, or the forecast end passes the window's end.
type Drift struct {
	Phase string
	event.DriftPayload
}

// Drifts lists what has drifted at in.Now and was not warned of yet in this
// run of the current phase: each crossing is warned of once per phase run.
// Only a phase that has started drifts; a session that has ended does not.
func Drifts(in Input, f Forecast) []Drift {
	if f.Done || f.Phase == "" || f.PhaseStarted.IsZero() || in.State.Closed {
		return nil
	}
	var out []Drift
	elapsed := in.Now.Sub(f.PhaseStarted)
	limit := time.Duration(float64(f.PhaseExpected) * (1 + in.Runbook.Plan.Tolerance))
	if f.PhaseExpected > 0 && elapsed > limit && !in.State.Warned(f.Phase, event.DriftPhase, f.PhaseStarted) {
		out = append(out, Drift{Phase: f.Phase, DriftPayload: event.DriftPayload{
			What: event.DriftPhase, Plan: f.PhasePlanEnd, Forecast: f.PhaseEnd,
			Expected: f.PhaseExpected.Milliseconds(), Elapsed: elapsed.Milliseconds(),
		}})
	}
	if w := f.Window; w != nil && f.End.After(w.End) && !in.State.Warned(f.Phase, event.DriftWindow, f.PhaseStarted) {
		out = append(out, Drift{Phase: f.Phase, DriftPayload: event.DriftPayload{
			What: event.DriftWindow, Plan: w.End, Forecast: f.End,
		}})
	}
	return out
}
