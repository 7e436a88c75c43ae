package session

import (
	"context"
	"strings"
	"testing"

	"runway/runbook/audit"
)

// A session masks its runbook's secrets in what it writes without setting
// the redactor of the log, which other sessions or readers may share: an
// event another writer appends keeps its text.
func TestSessionLeavesTheLogsRedactor(t *testing.T) {
	const text = `
version: 1
name: masked
title: Masked
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: a, title: A, command: {run: "echo token=${TOKEN}"}}
`
	dir := t.TempDir()
	rb := loadRunbook(t, dir, text, map[string]string{"TOKEN": "tok-4711"})
	f := newFixtureWith(t, dir, rb)
	f.do(RunPhase{Phase: "one"})
	if out := f.item("a").Output; strings.Contains(out, "tok-4711") || !strings.Contains(out, "token=***") {
		t.Fatalf("the session's output is not masked: %q", out)
	}
	e, err := f.log.Append(audit.Event{Session: f.sess.ID(), Actor: "other", Kind: "note", Payload: []byte(`{"text":"tok-4711"}`)})
	if err != nil {
		t.Fatal(err)
	}
	events, err := f.log.Events(context.Background(), f.sess.ID(), e.Seq-1)
	if err != nil || len(events) != 1 || !strings.Contains(string(events[0].Payload), "tok-4711") {
		t.Fatalf("another writer's event was masked by the session's redactor: %v %v", events, err)
	}
}
