package fold

import (
	"encoding/json"
	"testing"
	"time"

	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/event"
)

func TestGuardFold(t *testing.T) {
	rb := &runbook.Runbook{Guards: []runbook.Guard{{ID: "lag"}}, Phases: []runbook.Phase{{ID: "p", Guards: []runbook.Guard{{ID: "disk", Phase: "p"}}}}}
	s := NewState(rb)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	apply := func(actor, kind string, p event.GuardPayload) {
		raw, _ := json.Marshal(p)
		s.Apply(audit.Event{Seq: s.Seq + 1, Time: at, Actor: actor, Kind: kind, Payload: raw})
		at = at.Add(time.Second)
	}
	for i := range 20 {
		apply("guard:lag", event.KindGuardSample, event.GuardPayload{Guard: "lag", Value: string(rune('a' + i))})
	}
	apply("guard:lag", event.KindGuardState, event.GuardPayload{Guard: "lag", State: "critical", From: "ok", Value: "9", Threshold: "> 5", Count: 1})
	apply("alice", event.KindGuardAcknowledged, event.GuardPayload{Guard: "lag", Reason: "seen"})
	g := s.Guard("lag")
	if len(s.Guards) != 2 || g.State != "critical" || g.Value != "9" || g.Threshold != "> 5" || !g.Acked || len(g.Samples) != guardTrail {
		t.Fatalf("guard = %+v", g)
	}
	apply("guard:lag", event.KindGuardRecovered, event.GuardPayload{Guard: "lag", State: "ok", From: "critical", Value: "1"})
	if g := s.Guard("lag"); g.State != "ok" || g.Acked || g.Threshold != "" || len(g.Changes) != 3 {
		t.Errorf("after the recovery: %+v", g)
	}
	if len(s.Actors) != 1 || s.Actors[0] != "alice" {
		t.Errorf("actors %v: a guard is not one of the session's people", s.Actors)
	}
	c := s.Clone()
	c.Guards[0].Samples[0] = "changed"
	if s.Guards[0].Samples[0] == "changed" {
		t.Error("a clone shares the guard's samples")
	}
}
