package report

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"runway/runbook/audit"
	"runway/runbook/fold"
	"runway/runbook/session"
	"runway/ui/internal/fixture"
)

const overriddenRunbook = `version: 1
name: ok-override
title: An override whose reason was ok
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: a, title: A, command: {run: "true"}}
      - {id: b, title: B, critical: true, command: {run: "false"}}
      - {id: c, title: C, command: {run: "true"}}
`

// overriddenSession runs a session that passes after an override whose
// reason was "ok" and a skip, and returns the log's path.
func overriddenSession(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	rb := fixture.Runbook(t, filepath.Join(dir, "runbook.yaml"), overriddenRunbook)
	path := filepath.Join(dir, "runway.db")
	log, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	s, err := session.Start(context.Background(), log, rb, session.Options{Operator: "alice", Host: "bastion-1"})
	if err != nil {
		t.Fatal(err)
	}
	fixture.Do(t, s,
		session.Skip{Item: "c", Reason: "not today"},
		session.RunPhase{Phase: "one"},
		session.Override{Item: "b", Reason: "ok"},
	)
	if st := s.State(); st.Status != fold.StatusPassed {
		t.Fatalf("session is %s, want passed", st.Status)
	}
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	return path
}

// A pass with an override and a skip never reads as a clean pass: every
// report format and the sessions listing say "passed with 1 override · 1 skipped".
func TestReportsAndListingNameOverridesAndSkips(t *testing.T) {
	path := overriddenSession(t)
	r, err := Build(context.Background(), path, "")
	if err != nil {
		t.Fatal(err)
	}
	const want = "passed with 1 override · 1 skipped"
	for _, format := range Formats {
		out := render(t, r, format)
		if n := strings.Count(out, want); n < 2 { // the session's outcome and the phase's
			t.Errorf("%s report says %q %d times, want the session's and the phase's", format, want, n)
		}
		if strings.Contains(out, "every phase passed") {
			t.Errorf("%s report says every phase passed, as if clean", format)
		}
	}
	l, err := audit.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	rows, err := ListSessions(context.Background(), l)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteSessions(&b, rows); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), want) {
		t.Errorf("the sessions listing hides the override and the skip:\n%s", b.String())
	}
}
