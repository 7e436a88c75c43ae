package metrics

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"runway/runbook/fold"
)

func TestCollectorGuards(t *testing.T) {
	src := stopped()
	src.st.Guards = []fold.GuardState{
		{ID: "error-rate", State: "critical", Value: "0.07", Threshold: "> 0.05"},
		{ID: "banner", State: "ok", Value: "green"}, // not a number: no value
		{ID: "later", Phase: "sync"},                // not sampled yet
	}
	want := `
# HELP runway_guard_value A guard's latest sample (only when it is a number).
# TYPE runway_guard_value gauge
runway_guard_value{guard="error-rate"} 0.07
# HELP runway_guard_state 1 for each guard's current state (ok, warn, critical, error), 0 for the others.
# TYPE runway_guard_state gauge
runway_guard_state{guard="banner",state="critical"} 0
runway_guard_state{guard="banner",state="error"} 0
runway_guard_state{guard="banner",state="ok"} 1
runway_guard_state{guard="banner",state="warn"} 0
runway_guard_state{guard="error-rate",state="critical"} 1
runway_guard_state{guard="error-rate",state="error"} 0
runway_guard_state{guard="error-rate",state="ok"} 0
runway_guard_state{guard="error-rate",state="warn"} 0
runway_guard_state{guard="later",state="critical"} 0
runway_guard_state{guard="later",state="error"} 0
runway_guard_state{guard="later",state="ok"} 0
runway_guard_state{guard="later",state="warn"} 0
`
	if err := testutil.CollectAndCompare(NewCollector(src), strings.NewReader(want), "runway_guard_value", "runway_guard_state"); err != nil {
		t.Error(err)
	}
}
