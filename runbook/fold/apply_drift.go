package fold

import (
	"time"

	"runway/runbook/audit"
	"runway/runbook/event"
)

// DriftRecord is one drift warning: what drifted in which phase, the plan
// and the forecast when it was noticed.
type DriftRecord struct {
	Seq   int64
	Phase string
	event.DriftPayload
	At time.Time
}

func (s *State) applyDrift(e audit.Event, at time.Time) {
	var p event.DriftPayload
	decode(e.Payload, &p)
	if p.What == "" {
		return
	}
	s.Drifts = append(s.Drifts, DriftRecord{Seq: e.Seq, Phase: e.Phase, DriftPayload: p, At: at})
}

// Warned reports whether a drift of this kind was recorded for the phase
// since since (the phase's start): a crossing is warned of once per run of
// the phase.
func (s *State) Warned(phase, what string, since time.Time) bool {
	for _, d := range s.Drifts {
		if d.Phase == phase && d.What == what && !d.At.Before(since) {
			return true
		}
	}
	return false
}
