package session

import (
	"encoding/json"
	"testing"

	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/event"
	"runway/runbook/fold"
)

// A rate limit the lead removed stays removed: the next attempt of the
// engine runs without a limit, not at the runbook's rate again.
func TestRemovedRateLimitStaysRemoved(t *testing.T) {
	item := runbook.Item{ID: "copy", Spec: runbook.Spec{Copy: &runbook.Copy{Rate: 20000}}}
	var st fold.ItemState
	if got := engineRate(item, &st); got != 20000 {
		t.Fatalf("before any change the runbook's rate applies, got %d", got)
	}
	for _, rate := range []int{25000, 0} {
		raw, _ := json.Marshal(event.ControlPayload{Action: "rate", Rate: rate})
		s := fold.State{Phases: []fold.PhaseState{{ID: "p", Items: []fold.ItemState{{ID: "copy"}}}}}
		s.Apply(audit.Event{Seq: 1, Kind: event.KindEngineControl, Phase: "p", Item: "copy", Payload: raw})
		if got := engineRate(item, &s.Phases[0].Items[0]); got != rate {
			t.Errorf("after the lead set %d rows/s the engine starts at %d", rate, got)
		}
	}
}
