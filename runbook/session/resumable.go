package session

import (
	"fmt"
	"time"

	"runway/runbook/audit"
	"runway/runbook/event"
	"runway/runbook/fold"
)

// nothingToResume refuses a session whose last word is that it passed:
// resuming would only close it again and rewrite when it ended. A session
// that was stopped, quit or hung up resumes. events are the session's.
func nothingToResume(id string, events []audit.Event) error {
	for i := len(events) - 1; i >= 0; i-- {
		switch events[i].Kind {
		case event.KindSessionResumed:
			return nil
		case event.KindSessionClosed:
			p := event.Decode[event.ClosedPayload](events[i].Payload)
			if p.Status != string(fold.StatusPassed) {
				return nil
			}
			when := events[i].Time
			if !p.Ended.IsZero() {
				when = p.Ended
			}
			return &ResumeRefusedError{Msg: fmt.Sprintf("resume session %s: it passed at %s; there is nothing to resume",
				id, when.UTC().Format(time.RFC3339))}
		}
	}
	return nil
}
