package audit

import (
	"encoding/json"
	"fmt"
	"time"
)

// Event is one row of the append-only event stream.
type Event struct {
	Seq      int64           // assigned by Append: global, gapless, from 1
	Session  string          // the session it belongs to
	Time     time.Time       // wall time, UTC; assigned by Append if zero
	Mono     int64           // assigned by Append: ns since this process opened the log
	Run      string          // assigned by Append: the process run Mono is measured in
	Actor    string          // who did it: local user, or the SSH key's owner
	Kind     string          // what happened, e.g. "item.passed"
	Phase    string          // phase id, if any
	Item     string          // item id, if any
	Payload  json.RawMessage // a JSON object, or nil
	PrevHash string          // assigned: hash of the previous event, "" for the first
	Hash     string          // assigned: hex SHA-256 of PrevHash and this row
}

// SessionInfo describes one session: the runbook it ran and who ran it.
type SessionInfo struct {
	ID, Runbook, RunbookPath string
	RunbookText              []byte
	RunbookSHA               string // hex SHA-256 of RunbookText, computed by CreateSession
	Operator, Host           string
	Started, Ended           time.Time
	Status                   string // "running", "passed", "stopped", "aborted", ...
	// Fingerprints, when not nil, are stored in session.opened (covered by
	// the hash chain): variable name to a keyed hash of its value, or
	// "unset". Secrets never reach the log: only their fingerprints do.
	Fingerprints map[string]string
}

// timeLayout stores wall times as fixed-width UTC text with nanoseconds: exact,
// readable with any SQLite tool, and sorting as text sorts by time.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	var b [len(timeLayout)]byte
	return string(t.UTC().AppendFormat(b[:0], timeLayout))
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}

// checkTime rejects times that the fixed-width layout cannot hold.
func checkTime(t time.Time) error {
	if y := t.UTC().Year(); y < 1 || y > 9999 {
		return fmt.Errorf("%w: time %s is out of range", ErrInvalidEvent, t)
	}
	return nil
}

// validate checks what the caller must supply.
func (e *Event) validate() error {
	switch {
	case e.Session == "":
		return fmt.Errorf("%w: kind %q has no session", ErrInvalidEvent, e.Kind)
	case e.Kind == "":
		return fmt.Errorf("%w: no kind (session %s)", ErrInvalidEvent, e.Session)
	case e.Actor == "":
		return fmt.Errorf("%w: %s has no actor", ErrInvalidEvent, e.Kind)
	}
	if !e.Time.IsZero() {
		if err := checkTime(e.Time); err != nil {
			return err
		}
	}
	if len(e.Payload) > 0 && !isJSONObject(e.Payload) {
		return fmt.Errorf("%w: %s payload is not a JSON object", ErrInvalidEvent, e.Kind)
	}
	return nil
}

// isJSONObject reports whether b is one valid JSON object.
func isJSONObject(b []byte) bool {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case '{':
			return json.Valid(b)
		}
		return false
	}
	return false
}
