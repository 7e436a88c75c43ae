package metrics

import (
	"strconv"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"runway/runbook/event"
	"runway/runbook/fold"
)

// guardStates are every state a guard can be in, so each series exists.
var guardStates = []string{event.GuardOK, event.GuardWarn, event.GuardCritical, event.GuardError}

var (
	descGuardValue = desc("guard_value", "A guard's latest sample (only when it is a number).", "guard")
	descGuardState = desc("guard_state", "1 for each guard's current state (ok, warn, critical, error), 0 for the others.", "guard", "state")
	guardDescs     = []*prometheus.Desc{descGuardValue, descGuardState}
)

// collectGuards sends each guard's latest value and its state. A guard
// not sampled yet has no value and no state set.
func collectGuards(ch chan<- prometheus.Metric, st *fold.State) {
	for _, g := range st.Guards {
		if v, err := strconv.ParseFloat(strings.TrimSpace(g.Value), 64); err == nil {
			gauge(ch, descGuardValue, v, g.ID)
		}
		for _, s := range guardStates {
			gauge(ch, descGuardState, one(g.State == s), g.ID, s)
		}
	}
}
