package checks

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"runway/runbook"
)

func commandCheckFor(t *testing.T, c runbook.Command) Check {
	t.Helper()
	chk, err := New(runbook.Spec{Command: &c})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return chk
}

func TestCommand(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "marker.txt"), []byte("here\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		cmd     runbook.Command
		passed  bool
		summary string
		output  string // substring of Output
	}{
		{"exit 0", runbook.Command{Run: "echo hello"}, true, "exit 0 (expected 0)", "hello\n"},
		{"exit 3 expected", runbook.Command{Run: "exit 3", ExpectExit: 3}, true, "exit 3 (expected 3)", ""},
		{"exit 1 unexpected", runbook.Command{Run: "echo oops >&2; exit 1"}, false, "exit 1, expected 0", "oops"},
		{"stderr merged", runbook.Command{Run: "echo out; echo err >&2"}, true, "exit 0 (expected 0)", "err"},
		{"runs in the runbook folder", runbook.Command{Run: "cat marker.txt", ExpectOutput: "^here$"}, true, "exit 0 (expected 0), output matches /^here$/", "here"},
		{"output pattern", runbook.Command{Run: "echo 'replication lag: 0s'", ExpectOutput: `lag: 0s`}, true, "exit 0 (expected 0), output matches /lag: 0s/", "lag"},
		{"output pattern missing", runbook.Command{Run: "echo 'lag: 12s'", ExpectOutput: `lag: 0s`}, false, "exit 0 (expected 0), output does not match /lag: 0s/", "12s"},
		{"pattern does not save a bad exit", runbook.Command{Run: "echo ok; exit 2", ExpectOutput: `ok`}, false, "exit 2, expected 0, output matches /ok/", "ok"},
		{"killed by a signal", runbook.Command{Run: "kill -KILL $$"}, false, "killed by signal killed (expected exit 0)", ""},
		{"shell not found command", runbook.Command{Run: "no-such-command-xyz"}, false, "exit 127, expected 0", "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := commandCheckFor(t, tt.cmd).Run(context.Background(), Env{Dir: dir})
			if res.Passed != tt.passed || res.Summary != tt.summary {
				t.Errorf("got %v %q; want %v %q", res.Passed, res.Summary, tt.passed, tt.summary)
			}
			if !strings.Contains(res.Output, tt.output) {
				t.Errorf("output %q does not contain %q", res.Output, tt.output)
			}
		})
	}
}

func TestCommandMissingFolder(t *testing.T) {
	res := commandCheckFor(t, runbook.Command{Run: "true"}).Run(context.Background(), Env{Dir: "/no/such/folder"})
	if res.Passed || !strings.HasPrefix(res.Summary, "cannot start command in /no/such/folder") {
		t.Fatalf("got %v %q", res.Passed, res.Summary)
	}
}

func TestCommandRedactsSecrets(t *testing.T) {
	const secret = "s3cr3t-Pa55"
	redact := func(s string) string { return strings.ReplaceAll(s, secret, runbook.Redacted) }
	res := commandCheckFor(t, runbook.Command{
		Run:          "echo connecting with password " + secret + "; echo " + secret + " >&2; exit 4",
		ExpectOutput: secret,
	}).Run(context.Background(), Env{Redact: redact})
	if res.Passed {
		t.Fatal("exit 4 passed")
	}
	if strings.Contains(res.Summary+res.Output, secret) {
		t.Fatalf("secret shown: %q / %q", res.Summary, res.Output)
	}
	if !strings.Contains(res.Output, "password ***") || !strings.Contains(res.Summary, "/***/") {
		t.Fatalf("redaction marker missing: %q / %q", res.Summary, res.Output)
	}
}

func TestCommandBoundsOutput(t *testing.T) {
	res := commandCheckFor(t, runbook.Command{
		Run: "echo BEGIN; i=0; while [ $i -lt 4000 ]; do echo 'line of filler text to grow the output'; i=$((i+1)); done; echo END",
	}).Run(context.Background(), Env{})
	if !res.Passed || len(res.Output) > OutputLimit+200 {
		t.Fatalf("passed=%v, output %d bytes", res.Passed, len(res.Output))
	}
	if !strings.HasPrefix(res.Output, "BEGIN\n") || !strings.HasSuffix(res.Output, "END\n") || !strings.Contains(res.Output, "bytes cut") {
		t.Fatalf("head, tail or cut marker missing")
	}
}

// The whole process group goes on cancel: the shell, and a background job
// that would otherwise hold the output pipe and outlive the check.
func TestCommandCancelKillsProcessGroup(t *testing.T) {
	for _, tc := range []struct {
		name, run string
		stop      func(context.CancelFunc)
		want      string
	}{
		{"cancel", "sleep 1000 & echo $! > pid; sleep 1000", func(c context.CancelFunc) { c() }, "cancelled"},
		// A child that ignores SIGTERM is killed after the grace.
		{"term ignored", "trap '' TERM; sh -c 'trap \"\" TERM; echo $$ > pid; sleep 1000' & sleep 1000", func(c context.CancelFunc) { c() }, "cancelled"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			pidFile := filepath.Join(dir, "pid")
			go func() {
				waitFor(t, func() bool { b, _ := os.ReadFile(pidFile); return strings.HasSuffix(string(b), "\n") })
				tc.stop(cancel)
			}()
			res := commandCheckFor(t, runbook.Command{Run: tc.run}).Run(ctx, Env{Dir: dir, KillGrace: quickGrace})
			if res.Passed || res.Summary != tc.want {
				t.Fatalf("got %v %q, want failed %q", res.Passed, res.Summary, tc.want)
			}
			b, _ := os.ReadFile(pidFile)
			pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
			if err != nil {
				t.Fatalf("pid file: %q", b)
			}
			waitFor(t, func() bool { return !alive(pid) })
		})
	}
}

func TestCommandTimeoutNamesTheTimeout(t *testing.T) {
	res := Run(context.Background(), commandCheckFor(t, runbook.Command{Run: "echo started; sleep 1000"}), Env{KillGrace: quickGrace}, 50*time.Millisecond)
	if res.Passed || res.Summary != "timed out after 50ms" {
		t.Fatalf("got %v %q", res.Passed, res.Summary)
	}
	if res.Output != "started\n" {
		t.Fatalf("output before the timeout lost: %q", res.Output)
	}
}

// alive is kill -0, with a zombie (dead, not yet reaped) counted as gone.
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(fields) == 0 || fields[0] != "Z"
}

// waitFor polls cond for up to 10s: a deadline against hanging, not a timing assertion.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Errorf("condition not met within 10s")
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A background job that keeps the output pipe open does not hold the check
// past the grace once the shell has exited; the job itself is left alone.
func TestCommandBackgroundJobDoesNotHang(t *testing.T) {
	dir := t.TempDir()
	res := commandCheckFor(t, runbook.Command{Run: "sleep 1000 & echo $! > pid; echo done"}).Run(context.Background(), Env{Dir: dir})
	b, _ := os.ReadFile(filepath.Join(dir, "pid"))
	if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
		defer syscall.Kill(pid, syscall.SIGKILL)
	}
	if !res.Passed || res.Summary != "exit 0 (expected 0)" || res.Output != "done\n" {
		t.Fatalf("got %v %q %q", res.Passed, res.Summary, res.Output)
	}
}
