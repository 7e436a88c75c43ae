package report

import (
	"strconv"
	"time"

	"runway/runbook/audit"
	"runway/runbook/event"
)

// Guard is one guard over the session: how it ended, how often it was
// sampled, and each change of state (breaches, recoveries, acknowledgements).
type Guard struct {
	ID      string        `json:"id"`
	Title   string        `json:"title"`
	Phase   string        `json:"phase"` // "" for a runbook-wide guard
	State   string        `json:"state"` // at the end of the log; "" if never sampled
	Value   string        `json:"value"` // the last sample
	Samples int           `json:"samples"`
	Changes []GuardChange `json:"changes"`
}

// GuardChange is a recorded change of a guard's state.
type GuardChange struct {
	Seq       int64     `json:"seq"`
	At        time.Time `json:"at"`
	From      string    `json:"from"`
	To        string    `json:"to"` // ok, warn, critical, error, or "acknowledged"
	Value     string    `json:"value"`
	Threshold string    `json:"threshold"`
	Actor     string    `json:"actor"`
	Reason    string    `json:"reason"`
}

// guards fills the Guards section from the folded state; samples are
// counted from the events (the timeline leaves them out).
func (b *builder) guards(events []audit.Event) {
	samples := map[string]int{}
	for _, e := range events {
		if e.Kind == event.KindGuardSample {
			samples[event.Decode[event.GuardPayload](e.Payload).Guard]++
		}
	}
	for _, g := range b.st.Guards {
		out := Guard{ID: g.ID, Title: g.Title, Phase: g.Phase, State: g.State, Value: g.Value, Samples: samples[g.ID], Changes: []GuardChange{}}
		for _, c := range g.Changes {
			to := c.To
			if c.Reason != "" {
				to = "acknowledged"
			}
			out.Changes = append(out.Changes, GuardChange{Seq: c.Seq, At: c.At, From: c.From, To: to,
				Value: c.Value, Threshold: c.Threshold, Actor: c.Actor, Reason: c.Reason})
		}
		b.r.Guards = append(b.r.Guards, out)
	}
}

// guards writes the Guards section: each guard, then its changes.
func (m *md) guards(r *Report) {
	if len(r.Guards) == 0 {
		return
	}
	m.h2("Guards", len(r.Guards))
	m.table("Guard", "Scope", "State at the end", "Last value", "Samples", "Changes")
	for _, g := range r.Guards {
		m.row(g.ID+" ("+g.Title+")", scopeOf(g.Phase), or(g.State, "never sampled"), g.Value, strconv.Itoa(g.Samples), strconv.Itoa(len(g.Changes)))
	}
	for _, g := range r.Guards {
		if len(g.Changes) == 0 {
			continue
		}
		m.p("\n**%s**\n", cell(g.ID))
		m.table("Event", "When", "Change", "Value", "Threshold", "Who", "Reason")
		for _, c := range g.Changes {
			m.row(strconv.FormatInt(c.Seq, 10), Stamp(c.At), c.From+" → "+c.To, c.Value, c.Threshold, c.Actor, c.Reason)
		}
	}
}

func scopeOf(phase string) string {
	if phase == "" {
		return "whole session"
	}
	return "phase " + phase
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
