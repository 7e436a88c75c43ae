package audit

import (
	"encoding/json"
	"fmt"
)

// CheckRunbookText holds the runbook text stored with a session to the
// SHA-256 its session.opened event recorded. The sessions table is outside
// the hash chain: text edited there (with its runbook_sha256 to match)
// would otherwise be parsed and run by a resume, and only verify-log would
// notice, afterwards. events are the session's, from its first. The error
// is one line naming the log and the session.
func (l *Log) CheckRunbookText(info SessionInfo, events []Event) error {
	for _, e := range events {
		if e.Kind != KindSessionOpened {
			continue
		}
		var p OpenedPayload
		if err := json.Unmarshal(e.Payload, &p); err != nil || p.RunbookSHA == "" {
			return l.tampered(info.ID, fmt.Sprintf("its %s event %d records no runbook_sha256", KindSessionOpened, e.Seq))
		}
		if sha256Hex(info.RunbookText) != p.RunbookSHA {
			return l.tampered(info.ID, fmt.Sprintf("the runbook text stored with it is not the text its %s event %d recorded (SHA-256 differs)", KindSessionOpened, e.Seq))
		}
		return nil
	}
	return l.tampered(info.ID, "it has no "+KindSessionOpened+" event")
}

func (l *Log) tampered(id, why string) error {
	return fmt.Errorf("audit log %s: session %s: %s; the log was changed outside runway (see runway verify-log %s)", l.path, id, why, l.path)
}
