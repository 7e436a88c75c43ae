package report

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"runway/checks"
	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/session"
	"runway/ui/internal/fixture"
)

// smallRunbook has everything a postmortem reports: a failing critical
// item with output worth escaping, a manual sign-off that needs an
// observation, a rollback point, a second phase that fails and is rolled
// back, and a secret connection string.
const smallRunbook = `version: 1
name: small
title: Move orders to the new store
owner: migration lead
connections:
  legacy: {driver: mysql, dsn: "${LEGACY_DSN}"}
risks:
  - {id: RISK-001, name: data loss, probability: medium, impact: high, mitigation: verify before the switch}
procedures:
  data-inconsistency: {title: Rows differ, escalate_after: 30m, steps: [pause the copy, compare, repair]}
phases:
  - id: prep
    title: Preparation
    risk: low
    expected: 1-2h
    items:
      - {id: hello, title: Shell works, command: {run: "echo hello"}}
      - id: target-up
        title: Target answers
        critical: true
        command: {run: "echo 'connection refused by <b>new-db</b> & friends'; exit 3"}
      - id: backups
        title: Backups restorable
        critical: true
        manual: {role: dba, expect: "restore test passed", observe: true}
    rollback:
      - {id: undo-prep, title: Undo the preparation, command: {run: "echo undone"}}
    rollback_point: prep_done
  - id: pilot
    title: Pilot
    risk: medium
    expected: 30m
    items:
      - {id: pilot-check, title: Pilot totals match, critical: true, command: {run: "echo 'totals differ: 3 orders'; exit 1"}}
    rollback:
      - {id: undo-pilot, title: Drop the pilot tables, command: {run: "echo dropped"}}
`

// Texts the demo session records, which every format must show.
const (
	secretDSN       = "root:hunter2secret@tcp(127.0.0.1:3306)/legacy"
	overrideReason  = "port 5433 is firewalled from this host; checked by hand from the bastion"
	observation     = "restored 1,204 orders on scratch-3, counts match"
	failOutput      = "connection refused by <b>new-db</b> & friends"
	pilotFailOutput = "totals differ: 3 orders"
	noteText        = "pausing for the change board"
)

// demoSession drives the real executor through the small runbook and
// returns the audit log's path and the session id.
func demoSession(t *testing.T) (string, string) {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "runbook.yaml")
	if err := os.WriteFile(file, []byte(smallRunbook), 0o644); err != nil {
		t.Fatal(err)
	}
	rb, err := runbook.Parse(file, []byte(smallRunbook), func(k string) (string, bool) {
		if k == "LEGACY_DSN" {
			return secretDSN, true
		}
		return "", false
	})
	if err != nil {
		t.Fatalf("runbook: %v", err)
	}
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
	do := func(a session.Action) { t.Helper(); fixture.Do(t, s, a) }
	do(session.RunPhase{Phase: "prep"}) // hello passes, target-up fails: stop
	do(session.Override{Item: "target-up", Reason: overrideReason})
	do(session.RunPhase{Phase: "prep"}) // backups waits for its sign-off
	do(session.SignOff{Actor: "bob", Item: "backups", SignOff: checks.SignOff{
		Operator: "bob", Role: "dba", Verdict: checks.Pass, Observation: observation, At: time.Now().UTC(),
	}})
	do(session.Note{Text: noteText})
	do(session.RunPhase{Phase: "pilot"}) // pilot-check fails: stop
	do(session.Rollback{Point: "prep_done"})
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	return path, s.ID()
}

// render writes a report in a format.
func render(t *testing.T, r *Report, format string) string {
	t.Helper()
	var b bytes.Buffer
	if err := r.Write(&b, format); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return b.String()
}

// mustContain fails for every wanted text the output lacks.
func mustContain(t *testing.T, format, out string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("%s report lacks %q", format, w)
		}
	}
}

// startSession starts a session of the runbook text, read with no
// environment, in dir with opts; it returns the session and the audit
// log's path (the log is closed when the test ends).
func startSession(t *testing.T, dir, text string, opts session.Options) (*session.Session, string) {
	t.Helper()
	file := filepath.Join(dir, "runbook.yaml")
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	rb, err := runbook.Parse(file, []byte(text), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "runway.db")
	log, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { log.Close() })
	s, err := session.Start(context.Background(), log, rb, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s, path
}
