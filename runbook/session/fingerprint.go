package session

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"

	"runway/runbook"
	"runway/runbook/audit"
)

// A session records, when it starts, a fingerprint of every ${VAR} its
// runbook references: HMAC-SHA256 of the value under a key kept beside the
// audit log, never in it. A resume reads the same variables again and
// refuses when one is missing or differs, so the runbook that resumes is the
// runbook that ran, and no value (nor anything a value could be guessed
// from without the key) reaches the log.

// unsetFingerprint stands for a variable that was not set (its default applied).
const unsetFingerprint = "unset"

// keySize is the fingerprint key's length in bytes.
const keySize = 32

// ResumeRefusedError says, in one line, why a session cannot resume as it
// was started; the command line exits with status 2.
type ResumeRefusedError struct{ Msg string }

func (e *ResumeRefusedError) Error() string { return e.Msg }

// fingerprint is the keyed hash of one variable's value, or unsetFingerprint.
func fingerprint(key []byte, name, value string, set bool) string {
	if !set {
		return unsetFingerprint
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(name))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil))
}

// startFingerprints fingerprints the variables rb references, and records
// the key's id with them; the key is created on first need. A runbook
// without variables needs no key.
func startFingerprints(auditPath string, rb *runbook.Runbook) (map[string]string, error) {
	out := make(map[string]string, len(rb.Vars))
	if len(rb.Vars) == 0 {
		return out, nil
	}
	key, err := fingerprintKey(auditPath, true)
	if err != nil {
		return nil, err
	}
	for _, v := range rb.Vars {
		out[v.Name] = fingerprint(key, v.Name, v.Value, v.Set)
	}
	out[keyIDEntry] = keyID(key)
	return out, nil
}

// checkResumeEnv refuses to resume a session whose runbook would not read
// as it did when it started: a variable is missing or its value differs, or
// the session was stored by an older runway with its secrets masked.
func checkResumeEnv(auditPath string, info audit.SessionInfo, events []audit.Event, env func(string) (string, bool)) error {
	fps, wantKey, err := openedFingerprints(info, events)
	if err != nil {
		return err
	}
	if fps == nil { // an older runway: no fingerprints, text maybe masked
		if bytes.Contains(info.RunbookText, []byte(runbook.Redacted)) {
			return refused("resume %s: the session was started by an older runway, which stored its runbook with secrets masked as %s; it cannot run as it was: start a new session", info.ID, runbook.Redacted)
		}
		return nil
	}
	names := make([]string, 0, len(fps))
	for name := range fps {
		names = append(names, name)
	}
	sort.Strings(names)
	var key []byte
	for _, name := range names {
		val, set := "", false
		if env != nil {
			val, set = env(name)
		}
		want := fps[name]
		if want != unsetFingerprint && !set {
			return refused("resume %s: ${%s} is not set, and the session started with it set; set it as it was, or start a new session", info.ID, name)
		}
		if want == unsetFingerprint {
			if set {
				return refused("resume %s: ${%s} is set, and the session started with it unset (its default applied); unset it, or start a new session", info.ID, name)
			}
			continue
		}
		if key == nil {
			if key, err = resumeKey(auditPath, info.ID, wantKey, name); err != nil {
				return err
			}
		}
		if !hmac.Equal([]byte(fingerprint(key, name, val, set)), []byte(want)) {
			return refused("resume %s: ${%s} differs from the value the session started with; set it as it was, or start a new session", info.ID, name)
		}
	}
	return nil
}

// resumeKey reads the fingerprint key to check ${name} with, and refuses
// it when it is missing, untrusted, or not the key whose id the session
// recorded (wantID; "" for a session that recorded none).
func resumeKey(auditPath, id, wantID, name string) ([]byte, error) {
	key, err := fingerprintKey(auditPath, false)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, refused("resume %s: the key file %s is missing, so ${%s} cannot be checked against the value the session started with; restore the file, or start a new session", id, KeyPath(auditPath), name)
	case err != nil:
		return nil, refused("resume %s: %v", id, err)
	case wantID != "" && keyID(key) != wantID:
		return nil, refused("resume %s: the key file %s is not the one this session started with (it was replaced, or made anew after it was lost), so ${%s} cannot be checked against the value the session started with; restore the original file, or start a new session", id, KeyPath(auditPath), name)
	}
	return key, nil
}

// openedFingerprints reads the fingerprints stored in the session's
// session.opened event (nil when it has none: an older runway) and the id
// of the key they were made with ("" when none was recorded).
func openedFingerprints(info audit.SessionInfo, events []audit.Event) (map[string]string, string, error) {
	for _, e := range events {
		if e.Kind != audit.KindSessionOpened {
			continue
		}
		var p audit.OpenedFingerprints
		if err := json.Unmarshal(e.Payload, &p); err != nil {
			return nil, "", fmt.Errorf("resume %s: session.opened payload: %w", info.ID, err)
		}
		if p.Fingerprints == nil {
			return nil, "", nil
		}
		fps := *p.Fingerprints
		id := fps[keyIDEntry]
		delete(fps, keyIDEntry)
		return fps, id, nil
	}
	return nil, "", refused("resume %s: the session has no session.opened event", info.ID)
}

func refused(format string, args ...any) error {
	return &ResumeRefusedError{Msg: fmt.Sprintf(format, args...)}
}
