package session

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"runway/runbook/audit"
)

// A session closed by this package records its end in session.closed, so a
// sessions row whose ended was rewritten by hand fails verify-log.
func TestForgedEndedFailsVerify(t *testing.T) {
	f := newFixture(t, `version: 1
name: ended
phases:
  - id: p
    title: P
    items:
      - {id: a, title: A, command: {run: "true"}}
`)
	if err := f.sess.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.log.Close()
	if rep, err := audit.Verify(context.Background(), f.path); err != nil || !rep.OK {
		t.Fatalf("before the forgery: %+v, %v", rep, err)
	}
	db, err := sql.Open("sqlite", f.path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE sessions SET ended = '2029-01-01T00:00:00Z'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	rep, err := audit.Verify(context.Background(), f.path)
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK || !strings.Contains(rep.Reason, "ended") {
		t.Errorf("a forged ended passed verify-log: %+v", rep)
	}
}
