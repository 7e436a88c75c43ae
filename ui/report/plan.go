package report

import (
	"encoding/json"
	"strconv"
	"time"

	"runway/runbook/audit"
	"runway/runbook/event"
	"runway/runbook/fold"
	"runway/runbook/forecast"
)

// PlanActual is the plan against the actual for the whole session: the
// window, the planned end, the actual end (or the forecast at the last
// event, for a session that did not finish), and every drift warning.
type PlanActual struct {
	WindowStart *time.Time `json:"window_start"` // nil: the runbook declares no window
	WindowEnd   *time.Time `json:"window_end"`
	Tolerance   string     `json:"drift_tolerance"` // "25%"
	PlanEnd     *time.Time `json:"plan_end"`        // the window's end, else the first start plus every phase's expected time
	End         *time.Time `json:"end"`             // when the last phase passed, or the forecast end at the last event
	Finished    bool       `json:"finished"`        // every phase passed: End is actual, not a forecast
	Slip        string     `json:"slip"`            // "+10m" late, "-5m" ahead, "on plan"; "" without a plan
	SlipSec     float64    `json:"slip_seconds"`
	Drifts      []Drift    `json:"drifts"`
}

// Shown reports whether the section has anything to say: a plan, a
// window or a drift.
func (p PlanActual) Shown() bool {
	return p.PlanEnd != nil || p.WindowEnd != nil || len(p.Drifts) > 0
}

// Drift is one drift warning the session recorded.
type Drift struct {
	Seq      int64     `json:"seq"`
	At       time.Time `json:"at"`
	Phase    string    `json:"phase"`
	What     string    `json:"what"` // phase, window
	Plan     time.Time `json:"plan"`
	Forecast time.Time `json:"forecast"`
	Summary  string    `json:"summary"`
}

// planActual computes the section from the fold as it stood at its last event.
func (b *builder) planActual() PlanActual {
	pa := PlanActual{Drifts: []Drift{}}
	st := b.st
	for _, d := range st.Drifts {
		pa.Drifts = append(pa.Drifts, driftOf(d))
	}
	if b.rb == nil {
		return pa
	}
	pa.Tolerance = strconv.FormatFloat(b.rb.Plan.Tolerance*100, 'f', -1, 64) + "%"
	if w := b.rb.Plan.Window; w != nil {
		pa.WindowStart, pa.WindowEnd = timePtr(w.Start.UTC()), timePtr(w.End.UTC())
	}
	f := forecast.Of(forecast.Input{Runbook: b.rb, State: st, ETAs: forecast.StateETAs(st, st.Last), Now: st.Last})
	if !f.PlanEnd.IsZero() {
		pa.PlanEnd = timePtr(f.PlanEnd.UTC())
	}
	if !f.End.IsZero() && (f.Done || !st.Last.IsZero()) {
		pa.End, pa.Finished = timePtr(f.End.UTC()), f.Done
	}
	if pa.PlanEnd != nil && pa.End != nil {
		pa.SlipSec = f.Slip().Seconds()
		pa.Slip = slipWords(f.Slip())
	}
	return pa
}

func driftOf(d fold.DriftRecord) Drift {
	raw, _ := json.Marshal(d.DriftPayload)
	e := event.Describe(audit.Event{Kind: event.KindDriftWarning, Phase: d.Phase, Payload: raw})
	return Drift{Seq: d.Seq, At: d.At, Phase: d.Phase, What: d.What, Plan: d.Plan.UTC(), Forecast: d.Forecast.UTC(), Summary: e.Detail}
}

// slipWords is a slip: "+10m" late, "-5m" ahead, "on plan" within a minute.
func slipWords(d time.Duration) string {
	switch {
	case d >= time.Minute:
		return "+" + Duration(d)
	case d <= -time.Minute:
		return "-" + Duration(-d)
	}
	return "on plan"
}
