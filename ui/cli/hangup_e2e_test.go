package cli

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"runway/checks"
	"runway/runbook/audit"
	"runway/runbook/event"
)

// hangRunbook's second item runs until it is stopped, its pid in cmd.pid.
const hangRunbook = `
version: 1
name: hang
title: Hang-up
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: first, title: First, command: {run: "echo first"}}
      - {id: backup, title: Backup, command: {run: "echo $$ > cmd.pid; sleep 300; true"}}
`

// startHanging starts `runway run --plain` on hangRunbook with stdout to
// out and waits until the backup item's process group is recorded.
func startHanging(t *testing.T, dir string, stdout *os.File) (*exec.Cmd, string, int) {
	t.Helper()
	writeRunbook(t, dir, "hang.yaml", hangRunbook)
	db := filepath.Join(dir, "runway.db")
	cmd := exec.Command(runwayBinary(t), "--audit", db, "run", "hang.yaml", "--plain")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = stdout, stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	pgid := 0
	pollLog(t, db, "the backup item's process group", func(e audit.Event) bool {
		var p event.ProcessPayload
		if e.Kind == event.KindItemProcess && e.Item == "backup" && json.Unmarshal(e.Payload, &p) == nil {
			pgid = p.PGID
		}
		return pgid > 0
	})
	t.Cleanup(func() { syscall.Kill(-pgid, syscall.SIGKILL) })
	return cmd, db, pgid
}

// closedAsHangup checks what a hang-up leaves: the running item recorded as
// interrupted, the session closed as a hang-up, the chain intact, and the
// command's process group gone.
func closedAsHangup(t *testing.T, dir, db string, pgid int, reason string) {
	t.Helper()
	l, err := audit.OpenReadOnly(db)
	if err != nil {
		t.Fatal(err)
	}
	events, _ := l.Events(context.Background(), "", 0)
	l.Close()
	var interrupted bool
	var closed *event.ClosedPayload
	for _, e := range events {
		switch e.Kind {
		case event.KindItemInterrupted:
			interrupted = interrupted || e.Item == "backup"
		case event.KindSessionClosed:
			closed = new(event.ClosedPayload)
			json.Unmarshal(e.Payload, closed)
		}
	}
	if !interrupted || closed == nil || closed.Status != event.StatusHangup || !strings.Contains(closed.Reason, reason) {
		t.Fatalf("after the hang-up: backup interrupted %v, session.closed %+v (want hangup, %q)", interrupted, closed, reason)
	}
	if code, out, errOut := runway(t, dir, nil, "verify-log", db); code != 0 {
		t.Fatalf("verify-log: exit %d\n%s%s", code, out, errOut)
	}
	if checks.GroupAlive(pgid) {
		t.Fatalf("the command's process group %d outlives the hang-up", pgid)
	}
}

// SIGHUP (a dropped SSH link, a closed tmux window) closes the session as
// a hang-up, with exit status 1, instead of killing runway mid-item.
func TestSIGHUPClosesTheSession(t *testing.T) {
	dir := t.TempDir()
	out, err := os.Create(filepath.Join(dir, "out.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	cmd, db, pgid := startHanging(t, dir, out)
	cmd.Process.Signal(syscall.SIGHUP)
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != ExitStopped {
		b, _ := os.ReadFile(out.Name())
		t.Fatalf("exit %d after SIGHUP, want %d\n%s", code, ExitStopped, b)
	}
	closedAsHangup(t, dir, db, pgid, "SIGHUP")
}

// When the reader of stdout goes away, the next line written fails (the
// SIGPIPE no longer kills runway) and the session closes as a hang-up.
func TestClosedStdoutClosesTheSession(t *testing.T) {
	dir := t.TempDir()
	// backup waits for the file go, then passes: its verdict is the next line.
	writeRunbook(t, dir, "pipe.yaml", strings.Replace(hangRunbook, `echo $$ > cmd.pid; sleep 300; true`,
		`while [ ! -e go ]; do sleep 0.05; done; echo backed up`, 1)+
		"      - {id: after, title: After, command: {run: \"sleep 300\"}}\n")
	db := filepath.Join(dir, "runway.db")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(runwayBinary(t), "--audit", db, "run", "pipe.yaml", "--plain")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	pollLog(t, db, "the backup item to start", func(e audit.Event) bool {
		return e.Kind == event.KindItemProcess && e.Item == "backup"
	})
	w.Close()
	r.Close() // the reader is gone: the next write gets EPIPE
	if err := os.WriteFile(filepath.Join(dir, "go"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != ExitStopped {
		t.Fatalf("exit %d after stdout closed, want %d", code, ExitStopped)
	}
	l, err := audit.OpenReadOnly(db)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	events, _ := l.Events(context.Background(), "", 0)
	last := events[len(events)-1]
	var p event.ClosedPayload
	json.Unmarshal(last.Payload, &p)
	if last.Kind != event.KindSessionClosed || p.Status != event.StatusHangup || !strings.Contains(p.Reason, "broken pipe") {
		t.Fatalf("the log ends with %s %+v, want session.closed as a hang-up on a broken pipe", last.Kind, p)
	}
}

// When a session ends, its anchor (as verify-log prints it and --expect
// takes it) and the exact command for its report are printed.
func TestRunPrintsAnchorAndReportCommand(t *testing.T) {
	dir := t.TempDir()
	writeRunbook(t, dir, "ok.yaml", strings.Replace(hangRunbook, `echo $$ > cmd.pid; sleep 300; true`, `echo backed up`, 1))
	code, stdout, stderr := runway(t, dir, nil, "--audit", "my log.db", "run", "ok.yaml", "--plain")
	if code != 0 {
		t.Fatalf("run: exit %d\n%s%s", code, stdout, stderr)
	}
	m := regexp.MustCompile(`(?m)^anchor (\d+:[0-9a-f]{64})\nreport: (runway report .+)\n\z`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("no anchor and report lines at the end of:\n%s", stdout)
	}
	if code, out, errOut := runway(t, dir, nil, "verify-log", "my log.db", "--expect", m[1]); code != 0 || !strings.Contains(out, "anchor "+m[1]) {
		t.Fatalf("verify-log --expect %s: exit %d\n%s%s", m[1], code, out, errOut)
	}
	// The report command works as printed, from the same folder.
	report := exec.Command("sh", "-c", strings.Replace(m[2], "runway", strconv.Quote(runwayBinary(t)), 1))
	report.Dir = dir
	if out, err := report.CombinedOutput(); err != nil || !strings.Contains(string(out), "hang") {
		t.Fatalf("%s: %v\n%s", m[2], err, out)
	}
}
