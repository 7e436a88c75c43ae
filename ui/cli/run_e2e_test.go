package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"runway/runbook/audit"
	"runway/ui/internal/termtest"
)

// runwayBinary is the runway command, built once for the whole test run.
func runwayBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the runway binary")
	}
	return termtest.Binary(t)
}

// runway runs the binary in dir and returns its exit status and output.
func runway(t *testing.T, dir string, env []string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(runwayBinary(t), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errOut.String()
}

func writeRunbook(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// pollLog waits until the audit log holds an event that match accepts.
func pollLog(t *testing.T, path string, what string, match func(audit.Event) bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if l, err := audit.OpenReadOnly(path); err == nil {
			events, _ := l.Events(context.Background(), "", 0)
			l.Close()
			for _, e := range events {
				if match(e) {
					return
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s in %s", what, path)
}

const killRunbook = `
version: 1
name: kill
title: Resume after kill -9
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: first, title: First, command: {run: "echo first >> ran.txt"}}
      - {id: second, title: Second, command: {run: "echo second >> ran.txt"}}
      - {id: long, title: Long, critical: true, command: {run: "test -e again && exit 0; touch again; sleep 30"}}
  - id: two
    title: Two
    risk: low
    expected: 1h
    items:
      - {id: last, title: Last, command: {run: "echo last >> ran.txt"}}
`

func TestKillNineThenResume(t *testing.T) {
	bin := runwayBinary(t)
	dir := t.TempDir()
	writeRunbook(t, dir, "kill.yaml", killRunbook)
	db := filepath.Join(dir, "runway.db")

	cmd := exec.Command(bin, "--audit", db, "--operator", "alice", "run", "kill.yaml", "--plain")
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // kill the shell and its sleep too, as a crash would
	out, err := os.Create(filepath.Join(dir, "out.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pollLog(t, db, "the long item to start", func(e audit.Event) bool {
		return e.Kind == "item.started" && e.Item == "long"
	})
	waitForFile(t, filepath.Join(dir, "again"), "the long item to start sleeping")
	pgid := killRun(t, cmd, db, "long")

	// The shell died with runway (pdeathsig); its sleep did not, and a
	// resume refuses to run the item again while it lives.
	code, stdout, stderr := runway(t, dir, nil, "--audit", db, "--operator", "bob", "resume", "--plain")
	m := regexp.MustCompile(`^runway: item long: its command from the interrupted run still runs as process group (\d+) \(sleep, pid \d+\); wait for it or kill it \(kill -- -(\d+)\), then resume\n$`).FindStringSubmatch(stderr)
	if code != 2 || m == nil || m[1] != strconv.Itoa(pgid) || m[2] != m[1] {
		t.Fatalf("resume while the sleep lives: exit %d, want 2 naming its group %d\n%s\n%s", code, pgid, stdout, stderr)
	}
	killGroup(t, pgid)

	code, stdout, stderr = runway(t, dir, nil, "--audit", db, "--operator", "bob", "resume", "--plain")
	if code != 0 {
		t.Fatalf("resume: exit %d\n%s\n%s", code, stdout, stderr)
	}
	ran, _ := os.ReadFile(filepath.Join(dir, "ran.txt"))
	if string(ran) != "first\nsecond\nlast\n" {
		t.Fatalf("ran.txt = %q: an item that passed ran twice, or one did not run", ran)
	}
	for _, want := range []string{"session  resumed  by bob", "one/long  interrupted", "one/long  started  attempt 2", "one/long  passed", "session  closed  passed"} {
		if !strings.Contains(stdout, want) {
			t.Fatalf("resume output lacks %q:\n%s", want, stdout)
		}
	}
	if code, stdout, stderr := runway(t, dir, nil, "verify-log", db); code != 0 {
		t.Fatalf("verify-log: exit %d\n%s%s", code, stdout, stderr)
	}
}

func TestRunStopsOnCriticalFailure(t *testing.T) {
	dir := t.TempDir()
	writeRunbook(t, dir, "stop.yaml", strings.Replace(killRunbook,
		`command: {run: "echo second >> ran.txt"}`, `critical: true, command: {run: "exit 4"}`, 1))
	code, stdout, stderr := runway(t, dir, nil, "run", "stop.yaml", "--plain")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "again")); err == nil {
		t.Fatal("the item after the failed critical item ran")
	}
	if !strings.Contains(stdout, "one/second  STOP") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 ||
		!strings.HasPrefix(stderr, "runway: session ") || !strings.Contains(stderr, "critical item second failed") {
		t.Fatalf("stdout:\n%s\nstderr: %q", stdout, stderr)
	}
}

const secretPW = "Pw-7d1e-never-shown"

func TestRunNeverShowsTheDSNPassword(t *testing.T) {
	dir := t.TempDir()
	writeRunbook(t, dir, "secret.yaml", `
version: 1
name: secret
title: A password from the environment
connections:
  legacy: {driver: mysql, dsn: "root:${PW}@tcp(127.0.0.1:1)/x"}
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: echo, title: Echo, command: {run: "echo pw=${PW}; echo ${PW} >&2"}}
      - {id: q, title: Query, critical: true, sql: {conn: legacy, query: "SELECT 1", expect: "1"}}
`)
	code, stdout, stderr := runway(t, dir, []string{"PW=" + secretPW}, "run", "secret.yaml", "--plain")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "one/q  FAILED") {
		t.Fatalf("stdout:\n%s", stdout)
	}
	texts := map[string]string{"stdout": stdout, "stderr": stderr}
	for _, name := range []string{"runway.db", "runway.db-wal"} {
		raw, _ := os.ReadFile(filepath.Join(dir, name))
		texts[name] = string(raw)
	}
	if texts["runway.db"] == "" {
		t.Fatal("no audit log written")
	}
	for where, text := range texts {
		if strings.Contains(text, secretPW) {
			t.Fatalf("the password appears in %s", where)
		}
	}
	// The resumed session reads the password from the environment again.
	code, stdout, stderr = runway(t, dir, []string{"PW=" + secretPW}, "resume", "--plain")
	if code != 1 || strings.Contains(stdout+stderr, secretPW) {
		t.Fatalf("resume: exit %d\n%s\n%s", code, stdout, stderr)
	}
}

func TestRunAuditLogRemovedExitsThree(t *testing.T) {
	dir := t.TempDir()
	writeRunbook(t, dir, "gone.yaml", strings.Replace(killRunbook, "touch again; sleep 30", "touch again; sleep 2", 1))
	db := filepath.Join(dir, "runway.db")
	cmd := exec.Command(runwayBinary(t), "--audit", db, "run", "gone.yaml", "--plain")
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pollLog(t, db, "the long item to start", func(e audit.Event) bool {
		return e.Kind == "item.started" && e.Item == "long"
	})
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(db + suffix)
	}
	cmd.Wait()
	code := cmd.ProcessState.ExitCode()
	msg := strings.TrimSpace(stderr.String())
	if code != 3 || strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "runway: audit log ") {
		t.Fatalf("exit %d, stderr %q\nstdout:\n%s", code, msg, stdout.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "ran.txt")); err != nil {
		t.Fatal("the session did not run before the log was removed")
	}
	if strings.Contains(stdout.String(), "one/long  passed") || strings.Contains(stdout.String(), "two") {
		t.Fatalf("something ran or was reported after the log failed:\n%s", stdout.String())
	}
}
