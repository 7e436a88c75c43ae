package audit

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"
)

// KindSessionOpened is the first event of every session, written by
// CreateSession in the same transaction as the session itself.
const KindSessionOpened = "session.opened"

// OpenedPayload is the payload of KindSessionOpened. Verify checks that its
// RunbookSHA matches the runbook text stored with the session.
type OpenedPayload struct {
	Runbook     string `json:"runbook"`
	RunbookPath string `json:"runbook_path"` // the file it was loaded from; Verify holds the sessions row to it
	RunbookSHA  string `json:"runbook_sha256"`
	Operator    string `json:"operator"`
	Host        string `json:"host"`
	PID         int    `json:"pid,omitempty"`   // the process that opened it, so a watcher can tell whether it still runs
	Build       string `json:"build,omitempty"` // the binary that opened it (Build); absent in logs of older builds
}

// OpenedFingerprints is how session.opened stores SessionInfo.Fingerprints:
// decode a payload into it to read them (nil Fingerprints: the session was
// opened without, by an older runway, whose stored runbook text was masked).
type OpenedFingerprints struct {
	Fingerprints *map[string]string `json:"fingerprints,omitempty"`
}

// CreateSession stores a new session with its runbook text exactly as
// given (it holds ${VAR} references, never their values: the runbook that
// resumes is the runbook that ran) and the text's SHA-256, and durably
// appends its first event, session.opened, in the same transaction. Unless info.ID is set it
// generates a short readable ID such as "20261122-0331-7f3a". Started
// defaults to now, Host to this machine, Status to "running".
func (l *Log) CreateSession(info SessionInfo) (SessionInfo, error) {
	return l.Redacting(l.redactor()).CreateSession(info)
}

// createSession is CreateSession with fn masking session.opened.
func (l *Log) createSession(fn func(string) string, info SessionInfo) (SessionInfo, error) {
	if info.Operator == "" {
		return SessionInfo{}, fmt.Errorf("%w: create session for %q: no operator", ErrInvalidEvent, info.Runbook)
	}
	if info.Started.IsZero() {
		info.Started = time.Now()
	}
	if err := checkTime(info.Started); err != nil {
		return SessionInfo{}, err
	}
	info.Started = info.Started.UTC()
	if info.Host == "" {
		info.Host, _ = os.Hostname()
	}
	if info.Status == "" {
		info.Status = "running"
	}
	if info.ID != "" && !validID(info.ID) {
		return SessionInfo{}, fmt.Errorf("%w: session id %q: use letters, digits, '-', '_' or '.', at most 64", ErrInvalidEvent, info.ID)
	}
	if info.RunbookText == nil {
		info.RunbookText = []byte{}
	}
	info.RunbookSHA = sha256Hex(info.RunbookText)
	p, err := openedPayload(fn, info)
	if err != nil {
		return SessionInfo{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	err = l.writeTx(func(w *writer) error {
		id, err := l.pickID(w, info)
		if err != nil {
			return err
		}
		info.ID = id
		if _, err := w.insertSession.Exec(info.ID, info.Runbook, info.RunbookPath, info.RunbookText,
			info.RunbookSHA, info.Operator, info.Host, formatTime(info.Started), formatTime(info.Ended), info.Status); err != nil {
			return err
		}
		ev := Event{Session: info.ID, Time: info.Started, Actor: info.Operator, Kind: KindSessionOpened}
		var out [1]Event
		return l.insertEvents(w, []pending{{e: ev, payload: p}}, out[:])
	})
	if err != nil {
		return SessionInfo{}, err
	}
	return info, nil
}

// openedPayload is session.opened's payload: masked by the redactor, then
// the fingerprints added (hex that a secret's text might happen to match).
func openedPayload(fn func(string) string, info SessionInfo) (string, error) {
	payload, err := json.Marshal(OpenedPayload{Runbook: info.Runbook, RunbookPath: info.RunbookPath, RunbookSHA: info.RunbookSHA, Operator: info.Operator, Host: info.Host, PID: os.Getpid(), Build: Build()})
	if err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	p, err := redactPayload(fn, payload)
	if err != nil || info.Fingerprints == nil {
		return p, err
	}
	var rec map[string]json.RawMessage
	if err := json.Unmarshal([]byte(p), &rec); err != nil {
		return "", fmt.Errorf("%w: session.opened payload: %v", ErrInvalidEvent, err)
	}
	if rec["fingerprints"], err = json.Marshal(info.Fingerprints); err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	out, err := json.Marshal(rec)
	if err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	return string(out), nil
}

// pickID returns info.ID if it is free, or a new readable unique ID.
func (l *Log) pickID(w *writer, info SessionInfo) (string, error) {
	if info.ID != "" {
		taken, err := idTaken(w, info.ID)
		if err == nil && taken {
			err = inputError{fmt.Errorf("%w: session %s already exists in %s", ErrInvalidEvent, info.ID, l.path)}
		}
		return info.ID, err
	}
	for range 20 {
		id := newSessionID(info.Started)
		if taken, err := idTaken(w, id); err != nil || !taken {
			return id, err
		}
	}
	return "", inputError{fmt.Errorf("create session: no free session id for %s", formatTime(info.Started))}
}

func idTaken(w *writer, id string) (bool, error) {
	var n int
	err := w.sessionExists.QueryRow(id).Scan(&n)
	return n > 0, err
}

// newSessionID is the start minute in UTC and four random hex digits.
func newSessionID(started time.Time) string {
	var b [2]byte
	rand.Read(b[:])
	return started.UTC().Format("20060102-1504") + "-" + hex.EncodeToString(b[:])
}

func validID(id string) bool {
	if len(id) > 64 {
		return false
	}
	return strings.IndexFunc(id, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.')
	}) < 0
}

// SetSessionStatus records how a session stands ("passed", "stopped", ...)
// and when it ended (zero while it runs).
func (l *Log) SetSessionStatus(id, status string, ended time.Time) error {
	if status == "" {
		return fmt.Errorf("%w: session %s: empty status", ErrInvalidEvent, id)
	}
	if !ended.IsZero() {
		if err := checkTime(ended); err != nil {
			return err
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.writeTx(func(w *writer) error {
		res, err := w.setState.Exec(status, formatTime(ended), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return inputError{fmt.Errorf("audit log %s: session %s: %w", l.path, id, ErrNoSession)}
		}
		return nil
	})
}
