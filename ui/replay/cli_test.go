package replay_test

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"runway/runbook/audit"
	"runway/runbook/session"
	"runway/ui/cli"
	"runway/ui/internal/fixture"
)

const cliRunbook = `
version: 1
name: replayed
title: A replayed change
phases:
  - id: prep
    title: Preparation
    risk: low
    expected: 1h
    items:
      - {id: hello, title: Say hello, command: {run: "echo hello"}}
      - {id: optional, title: Optional check, command: {run: "exit 3"}}
`

// finished runs a short session to its end in a new log and returns the
// log's path and the session's id.
func finished(t *testing.T) (string, string) {
	t.Helper()
	dir := t.TempDir()
	rb := fixture.Runbook(t, filepath.Join(dir, "rb.yaml"), cliRunbook)
	path := filepath.Join(dir, "runway.db")
	l, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	sess, err := session.Start(context.Background(), l, rb, session.Options{Operator: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	fixture.Do(t, sess, session.RunPhase{Phase: "prep"}, session.Note{Text: "optional check can wait"})
	if err := sess.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	return path, sess.ID()
}

func runway(args ...string) (code int, out, errOut string) {
	var o, e bytes.Buffer
	code = cli.Execute(args, strings.NewReader(""), &o, &e)
	return code, o.String(), e.String()
}

// TestReplayWithoutATerminal prints the chain result first, then one line
// per event; the latest session is taken and named on stderr.
func TestReplayWithoutATerminal(t *testing.T) {
	path, id := finished(t)
	code, out, errOut := runway("--audit", path, "replay")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasPrefix(lines[0], "hash chain intact: ") {
		t.Fatalf("first line %q, want the chain result", lines[0])
	}
	for _, want := range []string{"prep/optional  failed", "optional check can wait", "session  closed"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if want := "runway: replaying session " + id + ", the latest in " + path + "\n"; errOut != want {
		t.Errorf("stderr %q, want %q", errOut, want)
	}
}

// TestReplayOfATamperedLog says TAMPERED on the first line and exits 1.
func TestReplayOfATamperedLog(t *testing.T) {
	path, id := finished(t)
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`DROP TRIGGER events_no_update`, `UPDATE events SET actor = 'mallory' WHERE seq = 3`} {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	db.Close()
	code, out, errOut := runway("--audit", path, "replay", id)
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s", code, errOut)
	}
	if first := strings.SplitN(out, "\n", 2)[0]; !strings.HasPrefix(first, "TAMPERED: event 3") {
		t.Fatalf("first line %q", first)
	}
	if !strings.Contains(errOut, "TAMPERED") || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("stderr is not one line naming the tampering: %q", errOut)
	}
}

// TestWatchAndReplayErrors: no log, no session, nothing running: one line, exit 2.
func TestWatchAndReplayErrors(t *testing.T) {
	path, id := finished(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--audit", filepath.Join(t.TempDir(), "none.db"), "replay"}, "no such file"},
		{[]string{"--audit", path, "replay", "nope"}, "nope"},
		{[]string{"--audit", path, "watch"}, "no running session; the latest, " + id + ", is passed"},
		{[]string{"--audit", path, "watch", "nope"}, "nope"},
	} {
		code, _, errOut := runway(c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line with %q", c.args, code, errOut, c.want)
		}
	}
}

// TestWatchAClosedSessionInLineMode prints its events and how it ended.
func TestWatchAClosedSessionInLineMode(t *testing.T) {
	path, id := finished(t)
	code, out, errOut := runway("--audit", path, "watch", id)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "prep/hello  passed") || !strings.Contains(out, "\nsession "+id+": the driver closed the session (passed) at ") {
		t.Fatalf("line mode:\n%s", out)
	}
}
