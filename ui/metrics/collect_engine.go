package metrics

import (
	"regexp"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"runway/runbook/event"
	"runway/runbook/fold"
)

func collectEngines(ch chan<- prometheus.Metric, st *fold.State, kinds map[string]string) {
	for _, p := range st.Phases {
		for _, it := range p.Items {
			if it.Engine == nil {
				continue
			}
			kind := kinds[it.ID]
			for _, t := range it.Engine.Tables {
				collectTable(ch, p.ID, it.ID, kind, t)
			}
			if r := it.Engine.Result; r != nil && r.MatchRate != nil {
				gauge(ch, descMatch, *r.MatchRate, p.ID, it.ID, kind)
			}
		}
	}
}

func collectTable(ch chan<- prometheus.Metric, phase, item, kind string, t event.ProgressPayload) {
	gauge(ch, descRowsDone, float64(t.Done), phase, item, kind, t.Table)
	gauge(ch, descRowsTotal, float64(t.Total), phase, item, kind, t.Table)
	gauge(ch, descRowsPerSec, t.RowsPerSec, phase, item, kind, t.Table)
	gauge(ch, descETA, (time.Duration(t.ETAms) * time.Millisecond).Seconds(), phase, item, kind, t.Table)
	if kind != "catchup" {
		return
	}
	// A catch-up's total is what it applied plus what is pending.
	pending := max(t.Total-t.Done, 0)
	gauge(ch, descPending, float64(pending), phase, item, t.Table)
	lag := 0.0
	if pending > 0 {
		lag = oldestPending(t.Note).Seconds()
	}
	gauge(ch, descLag, lag, phase, item, t.Table)
}

// oldest finds the lag in a catch-up's progress note, which the engine
// writes as "pending 1,234 (oldest 2.5s), arriving …".
var oldest = regexp.MustCompile(`\(oldest ([0-9.a-zµ]+)\)`)

// oldestPending is the lag a catch-up note states, 0 when it states none.
func oldestPending(note string) time.Duration {
	m := oldest.FindStringSubmatch(note)
	if m == nil {
		return 0
	}
	d, err := time.ParseDuration(m[1])
	if err != nil {
		return 0
	}
	return d
}
