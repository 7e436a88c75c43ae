package approvals

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

// twoPerson has one phase whose critical item b fails, under the two-person policy.
const twoPerson = `
version: 1
name: t
title: test
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    overrides: two-person
    items:
      - {id: a, title: A, command: {run: "true"}}
      - {id: b, title: B, critical: true, command: {run: "false"}}
`

// pending starts a session in dir whose override of b waits for approval,
// asked by this process, and returns it with its audit log's path.
func pending(t *testing.T, dir string) (*session.Session, string) {
	t.Helper()
	file := filepath.Join(dir, "runbook.yaml")
	if err := os.WriteFile(file, []byte(twoPerson), 0o644); err != nil {
		t.Fatal(err)
	}
	rb, err := runbook.Parse(file, []byte(twoPerson), nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "runway.db")
	log, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { log.Close() })
	sess, err := session.Start(context.Background(), log, rb, session.Options{Operator: "lea", Host: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sess.Close(context.Background()) })
	if err := sess.Do(session.RunPhase{Phase: "one"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, sess, func(st fold.State) bool { return st.Stop != nil && sess.Idle() })
	if err := sess.Do(session.Override{Item: "b", Reason: "vendor confirmed"}); err != nil {
		t.Fatal(err)
	}
	return sess, path
}

// waitFor polls the session's state until ok holds, with a generous deadline.
func waitFor(t *testing.T, sess *session.Session, ok func(fold.State) bool) {
	t.Helper()
	wake, stop := sess.Subscribe()
	defer stop()
	deadline := time.After(30 * time.Second)
	for !ok(sess.State()) {
		select {
		case <-wake:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatalf("state never came: %+v", sess.State())
		}
	}
}

func kinds(t *testing.T, sess *session.Session) map[string]int {
	t.Helper()
	events, err := sess.Events(0)
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, e := range events {
		n[e.Kind]++
	}
	return n
}
