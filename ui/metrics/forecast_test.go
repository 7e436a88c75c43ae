package metrics

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"runway/runbook"
	"runway/runbook/event"
	"runway/runbook/fold"
	"runway/runbook/forecast"
)

// planned is a fixed source with a window, an expected time and a clock:
// phase one (30m) started at 22:00 and is at 22:40, 10m past its plan.
type planned struct {
	fixed
	now time.Time
}

func (p planned) Forecast() forecast.Forecast {
	st := p.st
	return forecast.Of(forecast.Input{Runbook: p.rb, State: &st, Now: p.now})
}

func plannedSource() planned {
	t0 := time.Date(2026, 12, 6, 22, 0, 0, 0, time.UTC)
	rb := &runbook.Runbook{
		Plan: runbook.Plan{Tolerance: 0.25, Window: &runbook.Window{Start: t0, End: t0.Add(2 * time.Hour)}},
		Phases: []runbook.Phase{
			{ID: "one", Expected: runbook.Expected{Max: runbook.Duration(30 * time.Minute)}, Items: []runbook.Item{{ID: "a"}}},
			{ID: "two", Expected: runbook.Expected{Max: runbook.Duration(time.Hour)}, Items: []runbook.Item{{ID: "b"}}},
		},
	}
	st := fold.NewState(rb)
	st.Session = "s-1"
	st.Phases[0].Status, st.Phases[0].Started = fold.PhaseRunning, t0
	st.Drifts = []fold.DriftRecord{{Phase: "one", DriftPayload: event.DriftPayload{What: event.DriftPhase}}}
	return planned{fixed: fixed{st: st, rb: rb}, now: t0.Add(40 * time.Minute)}
}

func TestCollectorForecast(t *testing.T) {
	// 22:40 now; two more at 1h: 23:40, inside the window's 00:00.
	want := `
# HELP runway_phase_forecast_end_timestamp_seconds When the current phase is forecast to end (Unix time).
# TYPE runway_phase_forecast_end_timestamp_seconds gauge
runway_phase_forecast_end_timestamp_seconds{phase="one"} 1.7965968e+09
# HELP runway_phase_plan_end_timestamp_seconds When the current phase should end by its expected time (Unix time).
# TYPE runway_phase_plan_end_timestamp_seconds gauge
runway_phase_plan_end_timestamp_seconds{phase="one"} 1.7965962e+09
# HELP runway_forecast_end_timestamp_seconds When the last phase is forecast to end (Unix time).
# TYPE runway_forecast_end_timestamp_seconds gauge
runway_forecast_end_timestamp_seconds{session="s-1"} 1.7966004e+09
# HELP runway_window_end_timestamp_seconds The end of the runbook's change window (Unix time).
# TYPE runway_window_end_timestamp_seconds gauge
runway_window_end_timestamp_seconds{session="s-1"} 1.7966016e+09
# HELP runway_drift_warnings_total Drift warnings recorded, by what drifted (phase, window).
# TYPE runway_drift_warnings_total counter
runway_drift_warnings_total{session="s-1",what="phase"} 1
runway_drift_warnings_total{session="s-1",what="window"} 0
`
	err := testutil.CollectAndCompare(NewCollector(plannedSource()), strings.NewReader(want),
		"runway_phase_forecast_end_timestamp_seconds", "runway_phase_plan_end_timestamp_seconds",
		"runway_forecast_end_timestamp_seconds", "runway_window_end_timestamp_seconds", "runway_drift_warnings_total")
	if err != nil {
		t.Error(err)
	}
}

// TestCollectorNoPlan: a runbook that plans no time sends no forecast series.
func TestCollectorNoPlan(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(NewCollector(stopped()))
	n, err := testutil.GatherAndCount(reg, "runway_forecast_end_timestamp_seconds", "runway_window_end_timestamp_seconds")
	if err != nil || n != 0 {
		t.Errorf("%d forecast series without a plan (%v)", n, err)
	}
}
