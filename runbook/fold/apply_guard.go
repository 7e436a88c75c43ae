package fold

import (
	"strings"
	"time"

	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/event"
)

// guardTrail is how many recent samples a guard keeps for its trend.
const guardTrail = 16

// GuardState is one guard as the log tells it: its latest sample, its state
// and every change of state (breaches and recoveries) for the report.
type GuardState struct {
	ID, Title string
	Phase     string // "" for a runbook-level guard
	State     string // "" before the first sample, then event.GuardOK, …
	Value     string // the latest sample
	Threshold string // the condition breached, while breached
	Since     time.Time
	Samples   []string // the last few samples, oldest first
	Changes   []GuardChange
	Acked     bool // the lead acknowledged the current breach
}

// GuardChange is a recorded change of a guard's state.
type GuardChange struct {
	Seq       int64
	At        time.Time
	From, To  string
	Value     string
	Threshold string
	Count     int
	Actor     string
	Reason    string // an acknowledgement's
}

// newGuardStates lists the runbook's guards, then each phase's.
func newGuardStates(rb *runbook.Runbook) []GuardState {
	var out []GuardState
	for _, g := range rb.AllGuards() {
		out = append(out, GuardState{ID: g.ID, Title: g.Title, Phase: g.Phase})
	}
	return out
}

// Guard finds a guard by id (nil when the runbook has none by that id).
func (s *State) Guard(id string) *GuardState {
	for i := range s.Guards {
		if s.Guards[i].ID == id {
			return &s.Guards[i]
		}
	}
	return nil
}

func (s *State) applyGuard(e audit.Event, at time.Time) {
	p := event.Decode[event.GuardPayload](e.Payload)
	g := s.Guard(p.Guard)
	if g == nil {
		return
	}
	if p.Value != "" || e.Kind == event.KindGuardSample {
		g.Value = p.Value
		g.Samples = append(g.Samples, p.Value)
		if len(g.Samples) > guardTrail {
			g.Samples = append([]string(nil), g.Samples[len(g.Samples)-guardTrail:]...)
		}
	}
	if e.Kind == event.KindGuardSample {
		if g.State == "" {
			g.State, g.Since = event.GuardOK, at
		}
		return
	}
	from := g.State
	if p.From != "" {
		from = p.From
	}
	ch := GuardChange{Seq: e.Seq, At: at, From: from, Value: p.Value, Threshold: p.Threshold, Count: p.Count, Actor: e.Actor, Reason: p.Reason}
	switch e.Kind {
	case event.KindGuardAcknowledged:
		g.Acked = true
		ch.To = g.State
	case event.KindGuardState, event.KindGuardRecovered:
		ch.To = p.State
		if e.Kind == event.KindGuardRecovered && ch.To == "" {
			ch.To = event.GuardOK
		}
		g.State, g.Threshold, g.Since = ch.To, p.Threshold, at
		if ch.To == event.GuardOK {
			g.Acked = false
		}
	}
	g.Changes = append(g.Changes, ch)
}

// guardActor reports whether actor is a guard ("guard:<id>"), which acts
// (pauses engines, holds a stop) but is not one of the session's people.
func guardActor(actor string) bool { return strings.HasPrefix(actor, "guard:") }

func cloneGuards(gs []GuardState) []GuardState {
	out := append([]GuardState(nil), gs...)
	for i := range out {
		out[i].Samples = append([]string(nil), gs[i].Samples...)
		out[i].Changes = append([]GuardChange(nil), gs[i].Changes...)
	}
	return out
}
