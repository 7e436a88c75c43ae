package event

import (
	"fmt"
	"strings"

	"runway/runbook/audit"
)

// Guard kinds. A guard's samples are telemetry (latest wins, flushed with
// engine progress); only its state changes are verdicts.
const (
	KindGuardSample    = "guard.sample"    // GuardPayload: the latest value, batched
	KindGuardState     = "guard.state"     // GuardPayload: ok → warn, critical or error
	KindGuardRecovered = "guard.recovered" // GuardPayload: back to ok
	// KindGuardAcknowledged: the lead answered a guard's stop with a reason.
	KindGuardAcknowledged = "guard.acknowledged" // GuardPayload with Reason
)

// Guard states.
const (
	GuardOK       = "ok"
	GuardWarn     = "warn"
	GuardCritical = "critical"
	GuardError    = "error" // the check itself failed (server down, query error)
)

// GuardPayload is a guard's sample or state change. The event's phase is
// the guard's scope ("" for the runbook's guards).
type GuardPayload struct {
	Guard     string `json:"guard"`
	State     string `json:"state,omitempty"`
	From      string `json:"from,omitempty"`      // the state before a change
	Value     string `json:"value,omitempty"`     // redacted, one line
	Threshold string `json:"threshold,omitempty"` // the condition breached: "> 0.05", "check failing"
	Count     int    `json:"count,omitempty"`     // breaches in a row
	Reason    string `json:"reason,omitempty"`    // an acknowledgement's
}

// IsGuard reports whether kind is a guard event.
func IsGuard(kind string) bool { return strings.HasPrefix(kind, "guard.") }

func guardWords(e audit.Event) Words {
	p := Decode[GuardPayload](e.Payload)
	switch e.Kind {
	case KindGuardSample:
		return Words{"guard " + p.Guard + " sampled", p.Value}
	case KindGuardRecovered:
		return Words{"guard " + p.Guard + " recovered", fmt.Sprintf("%s (was %s)", p.Value, p.From)}
	case KindGuardAcknowledged:
		return Words{"guard " + p.Guard + " acknowledged", p.Reason}
	}
	detail := p.Value
	if p.Threshold != "" {
		detail += " · breached " + p.Threshold
	}
	if p.Count > 1 {
		detail += fmt.Sprintf(" · %d in a row", p.Count)
	}
	return Words{"guard " + p.Guard + " " + p.State, detail}
}
