package metrics

import (
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"runway/runbook"
	"runway/runbook/fold"
)

// Source is what the collector reads: *session.Session satisfies it.
type Source interface {
	State() fold.State         // a copy, taken under the session's lock
	Runbook() *runbook.Runbook // item kinds, which the State does not repeat
}

// Every status a session, phase or item can have, so that each series
// exists (0 or 1) from the first scrape and a query never sees a gap.
var (
	sessionStatuses = []fold.SessionStatus{fold.StatusRunning, fold.StatusStopped, fold.StatusRollingBack, fold.StatusPassed, fold.StatusClosed}
	phaseStatuses   = []fold.PhaseStatus{fold.PhaseLocked, fold.PhaseReady, fold.PhaseRunning, fold.PhaseHalted, fold.PhasePassed, fold.PhaseRolledBack}
	itemStatuses    = []fold.ItemStatus{fold.ItemPending, fold.ItemRunning, fold.ItemAwaiting, fold.ItemPassed, fold.ItemFailed, fold.ItemSkipped, fold.ItemOverridden, fold.ItemInterrupted}
)

// Collector turns a session's State into metrics on each scrape.
type Collector struct {
	src Source
}

// NewCollector reads src on every scrape.
func NewCollector(src Source) *Collector { return &Collector{src: src} }

func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc("runway_"+name, help, labels, nil)
}

// The metric names the README lists.
var (
	descSession    = desc("session_status", "1 for the session's current status, 0 for the others.", "session", "status")
	descStop       = desc("stop", "1 while a stop rule holds (a critical failure, a halted phase), else 0.", "session")
	descPhase      = desc("phase_status", "1 for each phase's current status, 0 for the others.", "phase", "status")
	descCurrent    = desc("phase_current", "1 for the phase the lead is on, 0 for the others.", "phase")
	descItems      = desc("items", "Items of a phase by status.", "phase", "status")
	descRowsDone   = desc("engine_rows_done", "Rows an engine has done, per table (latest recorded sample).", "phase", "item", "engine", "table")
	descRowsTotal  = desc("engine_rows_total", "Rows an engine expects in all, per table (0 while unknown).", "phase", "item", "engine", "table")
	descRowsPerSec = desc("engine_rows_per_second", "An engine's recent rate, per table.", "phase", "item", "engine", "table")
	descETA        = desc("engine_eta_seconds", "An engine's estimated time left, per table (0 when unknown).", "phase", "item", "engine", "table")
	descPending    = desc("catchup_pending_rows", "Changes a catch-up has yet to apply.", "phase", "item", "table")
	descLag        = desc("catchup_lag_seconds", "Age of the oldest change a catch-up has yet to apply (0 when none is pending).", "phase", "item", "table")
	descMatch      = desc("verify_match_ratio", "A finished verify or compare's match rate, 0..1.", "phase", "item", "engine")
	allDescs       = []*prometheus.Desc{descSession, descStop, descPhase, descCurrent, descItems, descRowsDone, descRowsTotal, descRowsPerSec, descETA, descPending, descLag, descMatch}
)

// Guards and notification failures will add their descriptors and a
// collect function here, read from the same State.

// Describe sends every descriptor.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range allDescs {
		ch <- d
	}
	for _, d := range guardDescs { // collect_guard.go
		ch <- d
	}
	for _, d := range forecastDescs { // collect_forecast.go
		ch <- d
	}
}

// Collect reads one snapshot of the State and sends its metrics.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	st := c.src.State()
	collectSession(ch, &st)
	collectPhases(ch, &st)
	collectEngines(ch, &st, itemKinds(c.src.Runbook()))
	collectGuards(ch, &st) // collect_guard.go
	collectForecast(ch, c.src, &st)
}

func gauge(ch chan<- prometheus.Metric, d *prometheus.Desc, v float64, labels ...string) {
	ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
}

func one(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// word is a status as a label value: "rolling back" → "rolling_back".
func word(s string) string { return strings.ReplaceAll(s, " ", "_") }

func collectSession(ch chan<- prometheus.Metric, st *fold.State) {
	for _, s := range sessionStatuses {
		gauge(ch, descSession, one(st.Status == s), st.Session, word(string(s)))
	}
	gauge(ch, descStop, one(st.Stop != nil), st.Session)
}

func collectPhases(ch chan<- prometheus.Metric, st *fold.State) {
	for i, p := range st.Phases {
		for _, s := range phaseStatuses {
			gauge(ch, descPhase, one(p.Status == s), p.ID, word(string(s)))
		}
		gauge(ch, descCurrent, one(i == st.Current), p.ID)
		counts := map[fold.ItemStatus]int{}
		for _, it := range p.Items {
			counts[it.Status]++
		}
		for _, s := range itemStatuses {
			gauge(ch, descItems, float64(counts[s]), p.ID, word(string(s)))
		}
	}
}

// itemKinds maps item ids (unique in a runbook) to their kinds.
func itemKinds(rb *runbook.Runbook) map[string]string {
	kinds := map[string]string{}
	if rb == nil {
		return kinds
	}
	for _, p := range rb.Phases {
		for _, it := range p.Items {
			kinds[it.ID] = it.Kind()
		}
	}
	return kinds
}
