package replay

import (
	"encoding/json"
	"testing"

	"runway/runbook/audit"
	"runway/runbook/event"
)

func TestGuardCriticalIsAFailureMark(t *testing.T) {
	for state, want := range map[string]bool{event.GuardCritical: true, event.GuardWarn: false, event.GuardError: false} {
		raw, _ := json.Marshal(event.GuardPayload{Guard: "g", State: state})
		kind, ok := markOf(audit.Event{Kind: event.KindGuardState, Payload: raw})
		if ok != want || (ok && kind != MarkFailure) {
			t.Errorf("%s: mark %v %v, want %v", state, kind, ok, want)
		}
	}
}
