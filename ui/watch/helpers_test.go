package watch

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/fold"
	"runway/runbook/session"
)

// smallRunbook has command items that pass and fail quickly, a manual item
// that waits for a sign-off, and a second phase.
const smallRunbook = `
version: 1
name: watched
title: A watched change
phases:
  - id: prep
    title: Preparation
    risk: low
    expected: 1h
    items:
      - {id: hello, title: Say hello, command: {run: "echo hello"}}
      - {id: nap, title: Short nap, command: {run: "sleep 0.2; echo rested"}}
      - {id: optional, title: Optional check, command: {run: "exit 3"}}
      - {id: backups, title: Backups restorable, manual: {expect: "restore test passed"}}
  - id: pilot
    title: Pilot
    risk: medium
    expected: 1h
    items:
      - {id: pilot-cmd, title: Pilot command, command: {run: "echo pilot"}}
`

// driver is a session driven in this process, in its own audit log handle.
type driver struct {
	log  *audit.Log
	sess *session.Session
	path string
}

// newDriver writes the runbook into dir and starts a session on it as alice,
// with the audit log beside it.
func newDriver(dir, yaml string) (*driver, error) {
	file := filepath.Join(dir, "runbook.yaml")
	if err := os.WriteFile(file, []byte(yaml), 0o644); err != nil {
		return nil, err
	}
	rb, err := runbook.Parse(file, []byte(yaml), func(string) (string, bool) { return "", false })
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "runway.db")
	log, err := audit.Open(path)
	if err != nil {
		return nil, err
	}
	sess, err := session.Start(context.Background(), log, rb, session.Options{Operator: "alice"})
	if err != nil {
		log.Close()
		return nil, err
	}
	return &driver{log: log, sess: sess, path: path}, nil
}

func startDriver(t testing.TB, dir, yaml string) *driver {
	t.Helper()
	d, err := newDriver(dir, yaml)
	if err != nil {
		t.Fatalf("start a session: %v", err)
	}
	t.Cleanup(func() {
		d.sess.Close(context.Background())
		d.log.Close()
	})
	return d
}

// do runs an action that must be accepted, then waits until nothing runs.
func (d *driver) do(t testing.TB, a session.Action) {
	t.Helper()
	if err := d.sess.Do(a); err != nil {
		t.Fatalf("%s: %v", a.ActionName(), err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for !d.sess.Idle() {
		if time.Now().After(deadline) {
			t.Fatal("the session is still busy after 30s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// eventually polls cond until it holds, or fails the test after 20s.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after 20s: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// countEvents is the number of events in the log at path, read afresh.
func countEvents(t testing.TB, path string) int64 {
	t.Helper()
	l, err := audit.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	n, err := l.LastSeq(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// caughtUp reports whether the watcher's fold is the driver's.
func caughtUp(src *Source, sess *session.Session) bool {
	a, b := src.State(), sess.State()
	return a.Seq == b.Seq && fold.StateChecksum(a) == fold.StateChecksum(b)
}
