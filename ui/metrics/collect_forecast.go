package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"runway/runbook/fold"
	"runway/runbook/forecast"
)

// Forecaster is a Source that knows its own forecast (the live board's ETAs,
// its clock): *session.Session is one. Other sources are forecast from the
// State as of now.
type Forecaster interface {
	Forecast() forecast.Forecast
}

var (
	descPhaseForecast = desc("phase_forecast_end_timestamp_seconds", "When the current phase is forecast to end (Unix time).", "phase")
	descPhasePlan     = desc("phase_plan_end_timestamp_seconds", "When the current phase should end by its expected time (Unix time).", "phase")
	descForecast      = desc("forecast_end_timestamp_seconds", "When the last phase is forecast to end (Unix time).", "session")
	descPlan          = desc("plan_end_timestamp_seconds", "The planned end: the window's end, else the first start plus every phase's expected time (Unix time).", "session")
	descWindowEnd     = desc("window_end_timestamp_seconds", "The end of the runbook's change window (Unix time).", "session")
	descDrifts        = desc("drift_warnings_total", "Drift warnings recorded, by what drifted (phase, window).", "session", "what")
	forecastDescs     = []*prometheus.Desc{descPhaseForecast, descPhasePlan, descForecast, descPlan, descWindowEnd, descDrifts}
)

// collectForecast sends the plan against the actual, computed on scrape.
// A series whose time is unknown is left out rather than sent as 0.
func collectForecast(ch chan<- prometheus.Metric, src Source, st *fold.State) {
	rb := src.Runbook()
	if rb == nil {
		return
	}
	var f forecast.Forecast
	if fc, ok := src.(Forecaster); ok {
		f = fc.Forecast()
	} else {
		now := time.Now()
		f = forecast.Of(forecast.Input{Runbook: rb, State: st, ETAs: forecast.StateETAs(st, now), Now: now})
	}
	if w := f.Window; w != nil {
		stamp(ch, descWindowEnd, w.End, st.Session)
	}
	if !f.Known() && len(st.Drifts) == 0 {
		return // a runbook that plans no time has no forecast series
	}
	collectDrifts(ch, st)
	if !f.Known() {
		return
	}
	stamp(ch, descForecast, f.End, st.Session)
	stamp(ch, descPlan, f.PlanEnd, st.Session)
	if f.Phase != "" {
		stamp(ch, descPhaseForecast, f.PhaseEnd, f.Phase)
		stamp(ch, descPhasePlan, f.PhasePlanEnd, f.Phase)
	}
}

func stamp(ch chan<- prometheus.Metric, d *prometheus.Desc, t time.Time, labels ...string) {
	if !t.IsZero() {
		gauge(ch, d, float64(t.UnixMilli())/1000, labels...)
	}
}

// collectDrifts counts the drift warnings by what drifted, both always sent.
func collectDrifts(ch chan<- prometheus.Metric, st *fold.State) {
	drifts := map[string]int{"phase": 0, "window": 0}
	for _, d := range st.Drifts {
		drifts[d.What]++
	}
	for _, what := range []string{"phase", "window"} {
		ch <- prometheus.MustNewConstMetric(descDrifts, prometheus.CounterValue, float64(drifts[what]), st.Session, what)
	}
}
