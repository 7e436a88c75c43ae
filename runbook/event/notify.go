package event

import (
	"fmt"

	"runway/runbook/audit"
)

// Notification kinds: each delivery attempt's result, and notices a full
// channel queue dropped. The executor records them from its notifier.
const (
	KindNotifySent    = "notify.sent"    // NotifyPayload
	KindNotifyFailed  = "notify.failed"  // NotifyPayload: Retry says whether another attempt follows
	KindNotifyDropped = "notify.dropped" // NotifyPayload: Dropped notices lost to a full queue
	// KindNotifyEscalated: a stop or an override request went unanswered
	// past a route's after:, and goes to Channel too.
	KindNotifyEscalated = "notify.escalated" // NotifyPayload
)

// NotifyPayload is one delivery attempt on a channel, or a drop.
type NotifyPayload struct {
	Channel string `json:"channel"`
	Notice  string `json:"notice,omitempty"` // stop, phase_passed, …
	Attempt int    `json:"attempt,omitempty"`
	Summary string `json:"summary,omitempty"` // redacted, one line
	Retry   bool   `json:"retry,omitempty"`
	Dropped int    `json:"dropped,omitempty"`
}

func notifyWords(e audit.Event) Words {
	p := Decode[NotifyPayload](e.Payload)
	switch e.Kind {
	case KindNotifySent:
		return Words{"notified " + p.Channel, fmt.Sprintf("%s · %s", p.Notice, p.Summary)}
	case KindNotifyEscalated:
		return Words{"escalated to " + p.Channel, fmt.Sprintf("%s · %s", p.Notice, p.Summary)}
	case KindNotifyDropped:
		if p.Summary != "" { // the session closed on them
			return Words{"notifications dropped on " + p.Channel, fmt.Sprintf("%d not delivered: %s", p.Dropped, p.Summary)}
		}
		return Words{"notifications dropped on " + p.Channel, fmt.Sprintf("%d lost to a full queue", p.Dropped)}
	}
	detail := fmt.Sprintf("%s · attempt %d · %s", p.Notice, p.Attempt, p.Summary)
	if p.Retry {
		detail += " · will retry"
	}
	return Words{"notification failed on " + p.Channel, detail}
}
