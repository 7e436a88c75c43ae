package console

import (
	"strings"
	"testing"

	"runway/runbook/event"
)

// TestHeaderPassedWithWarnings: a session that passed past a non-critical
// failure says so in the header, not a bare "passed".
func TestHeaderPassedWithWarnings(t *testing.T) {
	f := prepared()
	f.emit("alice", event.KindPhaseStarted, "pilot", "", nil)
	f.emit("alice", event.KindItemStarted, "pilot", "copy-orders", event.StartedPayload{Attempt: 1})
	f.emit("alice", event.KindItemFailed, "pilot", "copy-orders", event.ResultPayload{Attempt: 1, Summary: "slow"})
	pass(f, "pilot", "verify-orders", "all rows match")
	pass(f, "pilot", "smoke", "orders listed")
	f.emit("alice", event.KindPhasePassed, "pilot", "", nil)
	f.emit("alice", event.KindPhaseStarted, "cutover", "", nil)
	pass(f, "cutover", "catchup", "converged")
	pass(f, "cutover", "switch", "exit 0")
	f.emit("alice", event.KindPhasePassed, "cutover", "", nil)
	m := newModel(t, f, 80, 24)
	if first := strings.Split(m.View(), "\n")[0]; !strings.Contains(first, "state: ✓ passed with 1 warning") {
		t.Errorf("header: %s", first)
	}
	if got := m.State().Ending(); got != "passed with 1 warning · 1 skipped (3 of 3 phases)" {
		t.Errorf("outcome %q", got)
	}
}
