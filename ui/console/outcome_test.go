package console

import (
	"strings"
	"testing"

	"runway/runbook/session"
)

// TestHeaderPassedWithWarnings: a session that passed past a non-critical
// failure says so in the header, not a bare "passed".
func TestHeaderPassedWithWarnings(t *testing.T) {
	f := prepared()
	f.emit("alice", session.KindPhaseStarted, "pilot", "", nil)
	f.emit("alice", session.KindItemStarted, "pilot", "copy-orders", session.StartedPayload{Attempt: 1})
	f.emit("alice", session.KindItemFailed, "pilot", "copy-orders", session.ResultPayload{Attempt: 1, Summary: "slow"})
	pass(f, "pilot", "verify-orders", "all rows match")
	pass(f, "pilot", "smoke", "orders listed")
	f.emit("alice", session.KindPhasePassed, "pilot", "", nil)
	f.emit("alice", session.KindPhaseStarted, "cutover", "", nil)
	pass(f, "cutover", "catchup", "converged")
	pass(f, "cutover", "switch", "exit 0")
	f.emit("alice", session.KindPhasePassed, "cutover", "", nil)
	m := newModel(t, f, 80, 24)
	if first := strings.Split(m.View(), "\n")[0]; !strings.Contains(first, "state: ✓ passed with 1 warning") {
		t.Errorf("header: %s", first)
	}
	if got := m.State().Ending(); got != "passed with 1 warning · 1 skipped (3 of 3 phases)" {
		t.Errorf("outcome %q", got)
	}
}
