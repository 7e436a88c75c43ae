package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"runway/runbook/audit"
)

// TestResumeRefusesAnEditedRunbookText: the runbook text is edited in the
// sessions table (outside the hash chain) with its runbook_sha256 set to
// match. resume holds the text to the SHA-256 its chained session.opened
// event recorded, and refuses before anything runs: exit 3, as for any log
// runway cannot trust to record the session, in one line naming the log.
func TestResumeRefusesAnEditedRunbookText(t *testing.T) {
	s := startWalGone(t)
	s.crash(t)
	if err := os.WriteFile(filepath.Join(s.dir, "go"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := audit.OpenReadOnly(s.db)
	if err != nil {
		t.Fatal(err)
	}
	info, err := l.LatestSession(context.Background())
	l.Close()
	if err != nil {
		t.Fatal(err)
	}
	evil := strings.Replace(string(info.RunbookText), "echo after >> ran.txt", "echo evil >> ran.txt", 1)
	if evil == string(info.RunbookText) {
		t.Fatal("the stored runbook text lacks the item to change")
	}
	sum := sha256.Sum256([]byte(evil))
	execSQLite(t, s.db, fmt.Sprintf(`UPDATE sessions SET runbook_text = X'%s', runbook_sha256 = '%s' WHERE id = '%s'`,
		hex.EncodeToString([]byte(evil)), hex.EncodeToString(sum[:]), info.ID))
	before, err := logged(s.db)
	if err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := runway(t, s.dir, nil, "--audit", s.db, "--operator", "bob", "resume", "--plain")
	if ran, err := os.ReadFile(filepath.Join(s.dir, "ran.txt")); err == nil {
		t.Fatalf("the edited runbook ran: ran.txt = %q", ran)
	}
	msg := strings.TrimSpace(stderr)
	want := "runway: audit log " + s.db + ": session " + info.ID + ": the runbook text stored with it is not the text its session.opened event"
	if code != 3 || strings.Contains(msg, "\n") || !strings.HasPrefix(msg, want) {
		t.Fatalf("exit %d, stderr %q, want exit 3 and one line starting %q\n%s", code, msg, want, stdout)
	}
	if after, err := logged(s.db); err != nil || len(after) != len(before) {
		t.Fatalf("the refused resume wrote to the log (%v):\n%s", err, strings.Join(after, "\n"))
	}
}

const passedRunbook = `
version: 1
name: passed
title: Passes at once
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: only, title: Only, command: {run: "echo ran >> ran.txt"}}
`

// TestResumeOfAPassedSessionRefused: a session that passed has nothing to
// resume; resume used to close it again and rewrite when it ended. It
// refuses with exit 2 in one line, and the log is left as it was.
func TestResumeOfAPassedSessionRefused(t *testing.T) {
	dir := t.TempDir()
	writeRunbook(t, dir, "passed.yaml", passedRunbook)
	db := filepath.Join(dir, "runway.db")
	if code, stdout, stderr := runway(t, dir, nil, "--audit", db, "--operator", "alice", "run", "passed.yaml", "--plain"); code != 0 {
		t.Fatalf("run: exit %d\n%s%s", code, stdout, stderr)
	}
	l, err := audit.OpenReadOnly(db)
	if err != nil {
		t.Fatal(err)
	}
	info, err := l.LatestSession(context.Background())
	l.Close()
	if err != nil {
		t.Fatal(err)
	}
	before, err := logged(db)
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runway(t, dir, nil, "--audit", db, "--operator", "bob", "resume", info.ID, "--plain")
	msg := strings.TrimSpace(stderr)
	want := "runway: resume session " + info.ID + ": it passed at "
	if code != 2 || strings.Contains(msg, "\n") || !strings.HasPrefix(msg, want) || !strings.HasSuffix(msg, "; there is nothing to resume") {
		t.Fatalf("exit %d, stderr %q, want exit 2 and one line starting %q\n%s", code, msg, want, stdout)
	}
	l, err = audit.OpenReadOnly(db)
	if err != nil {
		t.Fatal(err)
	}
	again, err := l.Session(context.Background(), info.ID)
	l.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !again.Ended.Equal(info.Ended) || again.Status != info.Status {
		t.Errorf("the session row changed: %s %v, was %s %v", again.Status, again.Ended, info.Status, info.Ended)
	}
	if after, _ := logged(db); len(after) != len(before) {
		t.Errorf("the refused resume wrote to the log:\n%s", strings.Join(after[len(before):], "\n"))
	}
	if ran, _ := os.ReadFile(filepath.Join(dir, "ran.txt")); string(ran) != "ran\n" {
		t.Errorf("ran.txt = %q: the item ran again", ran)
	}
}
