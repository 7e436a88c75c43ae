package session

import (
	"fmt"
	"time"

	"runway/runbook/audit"
)

// nothingToResume refuses a session whose last word is that it passed:
// resuming would only close it again and rewrite when it ended. A session
// that was stopped, quit or hung up resumes. events are the session's.
func nothingToResume(id string, events []audit.Event) error {
	for i := len(events) - 1; i >= 0; i-- {
		switch events[i].Kind {
		case KindSessionResumed:
			return nil
		case KindSessionClosed:
			p := decodeAs[ClosedPayload](events[i].Payload)
			if p.Status != string(StatusPassed) {
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
