package metrics

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"runway/runbook"
	"runway/runbook/event"
	"runway/runbook/fold"
)

// fixed is a Source in a known state.
type fixed struct {
	st fold.State
	rb *runbook.Runbook
}

func (f fixed) State() fold.State         { return f.st }
func (f fixed) Runbook() *runbook.Runbook { return f.rb }

// stopped is a session halted in its second phase: a catch-up running
// behind, a failed critical item, a verify that found 99.5 % matching.
func stopped() fixed {
	match := 0.995
	rb := &runbook.Runbook{Phases: []runbook.Phase{
		{ID: "prep", Items: []runbook.Item{{ID: "verify-old", Spec: runbook.Spec{Verify: &runbook.Verify{}}}}},
		{ID: "sync", Items: []runbook.Item{
			{ID: "chase", Spec: runbook.Spec{Catchup: &runbook.Catchup{}}},
			{ID: "health", Spec: runbook.Spec{HTTP: &runbook.HTTP{}}},
		}},
	}}
	st := fold.State{
		Session: "s-1", Status: fold.StatusStopped, Current: 1,
		Stop: &fold.StopState{Phase: "sync", Item: "health", Reason: "critical item failed"},
		Phases: []fold.PhaseState{
			{ID: "prep", Status: fold.PhasePassed, Items: []fold.ItemState{
				{ID: "verify-old", Status: fold.ItemPassed, Engine: &fold.EngineState{
					Tables: []event.ProgressPayload{{Table: "orders", Done: 200, Total: 200, RowsPerSec: 50}},
					Result: &event.EngineSummary{MatchRate: &match},
				}},
			}},
			{ID: "sync", Status: fold.PhaseHalted, Items: []fold.ItemState{
				{ID: "chase", Status: fold.ItemRunning, Engine: &fold.EngineState{
					Tables: []event.ProgressPayload{{Table: "changes", Done: 900, Total: 1000, RowsPerSec: 120.5, ETAms: 2500,
						Note: "pending 100 (oldest 2.5s), arriving 10/s, applying 120/s"}},
				}},
				{ID: "health", Status: fold.ItemFailed},
			}},
		},
	}
	return fixed{st: st, rb: rb}
}

func TestCollectorStoppedSession(t *testing.T) {
	want := `
# HELP runway_stop 1 while a stop rule holds (a critical failure, a halted phase), else 0.
# TYPE runway_stop gauge
runway_stop{session="s-1"} 1
# HELP runway_catchup_pending_rows Changes a catch-up has yet to apply.
# TYPE runway_catchup_pending_rows gauge
runway_catchup_pending_rows{item="chase",phase="sync",table="changes"} 100
# HELP runway_catchup_lag_seconds Age of the oldest change a catch-up has yet to apply (0 when none is pending).
# TYPE runway_catchup_lag_seconds gauge
runway_catchup_lag_seconds{item="chase",phase="sync",table="changes"} 2.5
# HELP runway_verify_match_ratio A finished verify or compare's match rate, 0..1.
# TYPE runway_verify_match_ratio gauge
runway_verify_match_ratio{engine="verify",item="verify-old",phase="prep"} 0.995
# HELP runway_engine_eta_seconds An engine's estimated time left, per table (0 when unknown).
# TYPE runway_engine_eta_seconds gauge
runway_engine_eta_seconds{engine="catchup",item="chase",phase="sync",table="changes"} 2.5
runway_engine_eta_seconds{engine="verify",item="verify-old",phase="prep",table="orders"} 0
# HELP runway_engine_rows_per_second An engine's recent rate, per table.
# TYPE runway_engine_rows_per_second gauge
runway_engine_rows_per_second{engine="catchup",item="chase",phase="sync",table="changes"} 120.5
runway_engine_rows_per_second{engine="verify",item="verify-old",phase="prep",table="orders"} 50
`
	err := testutil.CollectAndCompare(NewCollector(stopped()), strings.NewReader(want),
		"runway_stop", "runway_catchup_pending_rows", "runway_catchup_lag_seconds", "runway_verify_match_ratio",
		"runway_engine_eta_seconds", "runway_engine_rows_per_second")
	if err != nil {
		t.Error(err)
	}
}

func TestCollectorStatusesAndCounts(t *testing.T) {
	c := NewCollector(stopped())
	for _, tt := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"runway_session_status", []string{"s-1", "stopped"}, 1},
		{"runway_session_status", []string{"s-1", "running"}, 0},
		{"runway_session_status", []string{"s-1", "rolling_back"}, 0},
		{"runway_phase_status", []string{"sync", "halted"}, 1},
		{"runway_phase_status", []string{"prep", "passed"}, 1},
		{"runway_phase_status", []string{"prep", "rolled_back"}, 0},
		{"runway_phase_current", []string{"sync"}, 1},
		{"runway_items", []string{"sync", "failed"}, 1},
		{"runway_items", []string{"sync", "running"}, 1},
		{"runway_items", []string{"sync", "passed"}, 0},
		{"runway_engine_rows_done", []string{"catchup", "chase", "sync", "changes"}, 900},
		{"runway_engine_rows_total", []string{"catchup", "chase", "sync", "changes"}, 1000},
	} {
		if got := valueOf(t, c, tt.name, tt.labels); got != tt.want {
			t.Errorf("%s%v = %v, want %v", tt.name, tt.labels, got, tt.want)
		}
	}
	// Series: 5 session statuses + stop; per phase 6 statuses, current, 8 item
	// statuses; 4 engine gauges per table (2 tables); catch-up's 2; one match.
	if n := testutil.CollectAndCount(c); n != 6+2*(6+1+8)+4*2+2+1 {
		t.Errorf("%d series", n)
	}
}

func TestOldestPending(t *testing.T) {
	for note, want := range map[string]time.Duration{
		"pending 1,234 (oldest 1m2.5s), arriving 3/s": 62500 * time.Millisecond,
		"pending 0, arriving 0/s, applying 0/s":       0,
		"resumed":                                     0,
	} {
		if got := oldestPending(note); got != want {
			t.Errorf("oldestPending(%q) = %v, want %v", note, got, want)
		}
	}
}
