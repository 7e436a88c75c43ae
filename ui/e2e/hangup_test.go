package e2e

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
	"time"

	"runway/checks"
	"runway/runbook/audit"
	"runway/runbook/event"
	"runway/ui/internal/termtest"
)

// hangRunbook's backup item runs until it is stopped; its shell appends
// its pid to cmd.pids. On a second run (the file again exists) it passes.
const hangRunbook = `version: 1
name: hang
title: Hang-up
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: first, title: First, command: {run: "echo first"}}
      - {id: backup, title: Backup, command: {run: "echo $$ >> cmd.pids; test -e again && exit 0; touch again; sleep 300; true"}}
`

// TestConsoleHangupClosesTheSession closes the tmux window in which the
// console runs a command, as a dropped SSH link or a closed terminal
// would: runway ends, the running item is recorded as interrupted, the
// session as closed by a hang-up, and the command is gone. The console
// learns it from SIGHUP or from its input ending, whichever comes first
// (the kernel ends the input first, then signals); a read of the input
// then ends or fails (EIO), as the scheduler has it. Started with SIGHUP
// ignored (nohup, a shell trap), it still sees its terminal go: its input
// ends or fails.
func TestConsoleHangupClosesTheSession(t *testing.T) {
	const inputGone = `^the terminal went away \((its input ended|input: read \S+: input/output error)\)$`
	for _, tc := range []struct{ name, trap, reason string }{
		{"SIGHUP", "", `^the terminal hung up \(SIGHUP\)$|` + inputGone},
		{"input ends", `trap "" HUP; `, inputGone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			endToEnd(t)
			work := t.TempDir()
			writeFile(t, filepath.Join(work, "hang.yaml"), hangRunbook)
			writeFile(t, filepath.Join(work, "launch.sh"), tc.trap+`echo $$ > runway.pid; exec "$@"`)
			tm := termtest.Tmux(t, work, 80, 24)
			tm.Shell("sh launch.sh " + termtest.Binary(t) + " run hang.yaml")
			tm.WaitFor(`enter run`, quick)
			runPhase(tm, "")
			shell := firstPid(t, filepath.Join(work, "cmd.pids"))
			runwayPid := firstPid(t, filepath.Join(work, "runway.pid"))

			tm.Server().Run("kill-window", "-t", tm.Target()) // the terminal goes away

			poll(t, "runway to exit", func() bool { return !alive(runwayPid) })
			db := filepath.Join(work, "runway.db")
			if out, code := runway(t, work, "", "verify-log", db); code != 0 {
				t.Fatalf("verify-log: exit %d\n%s", code, out)
			}
			kinds, closed := sessionEnd(t, db)
			if !strings.Contains(kinds, "item.interrupted backup") || closed.Status != event.StatusHangup || !regexp.MustCompile(tc.reason).MatchString(closed.Reason) {
				t.Fatalf("after the hang-up the log holds %s\nsession.closed %+v, want hangup (%s)", kinds, closed, tc.reason)
			}
			poll(t, "the command's process group to go", func() bool { return !checks.GroupAlive(shell) })
		})
	}
}

// TestKilledRunwayLeavesNoCommandRunning kills runway with SIGKILL while a
// command runs: its shell dies with runway (pdeathsig); the sleep the shell
// started lives on in the shell's process group, and resume refuses until
// it is gone, then runs the item again.
func TestKilledRunwayLeavesNoCommandRunning(t *testing.T) {
	endToEnd(t)
	work := t.TempDir()
	cmd, shell := startHangingShell(t, work, "hang.yaml", hangRunbook, "cmd.pids")
	// The group is recorded just after the command starts: a kill before
	// that record leaves the group unknown to resume (the README says so).
	poll(t, "the command's process group to be recorded", func() bool {
		for _, e := range readLog(t, filepath.Join(work, "runway.db")) {
			if e.Kind == event.KindItemProcess && e.Item == "backup" {
				return true
			}
		}
		return false
	})

	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	poll(t, "the command's shell to die with runway", func() bool { return !alive(shell) })

	out, code := runway(t, work, "", "resume", "--plain")
	want := regexp.MustCompile(`^runway: item backup: its command from the interrupted run still runs as process group ` +
		strconv.Itoa(shell) + ` \(sleep, pid \d+\); wait for it or kill it \(kill -- -` + strconv.Itoa(shell) + `\), then resume\n$`)
	if code != 2 || !want.MatchString(out) {
		t.Fatalf("resume while the sleep lives: exit %d, want 2 and %s\n%s", code, want, out)
	}
	syscall.Kill(-shell, syscall.SIGKILL)
	poll(t, "the group to go", func() bool { return !checks.GroupAlive(shell) })
	out, code = runway(t, work, "", "resume", "--plain")
	if code != 0 || !strings.Contains(out, "one/backup  interrupted") || !strings.Contains(out, "session  closed  passed") {
		t.Fatalf("resume once the group is gone: exit %d\n%s", code, out)
	}
	if !regexp.MustCompile(`(?m)^anchor \d+:[0-9a-f]{64}\nreport: runway report \S+\n\z`).MatchString(out) {
		t.Fatalf("resume does not end with the anchor and the report command:\n%s", out)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// firstPid waits for a pid in the first line of path.
func firstPid(t *testing.T, path string) int {
	t.Helper()
	var pid int
	poll(t, "a pid in "+filepath.Base(path), func() bool {
		b, _ := os.ReadFile(path)
		line, _, _ := strings.Cut(string(b), "\n")
		pid, _ = strconv.Atoi(strings.TrimSpace(line))
		return pid > 0 && strings.Contains(string(b), "\n")
	})
	return pid
}

// sessionEnd reads the log's events as "kind item" lines and the last
// session.closed payload.
func sessionEnd(t *testing.T, db string) (string, event.ClosedPayload) {
	t.Helper()
	l, err := audit.OpenReadOnly(db)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	events, err := l.Events(context.Background(), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	var closed event.ClosedPayload
	for _, e := range events {
		kinds = append(kinds, e.Kind+" "+e.Item)
		if e.Kind == event.KindSessionClosed {
			json.Unmarshal(e.Payload, &closed)
		}
	}
	return strings.Join(kinds, "\n"), closed
}

// alive reports whether pid exists and is not a zombie.
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	return len(f) > 0 && f[0] != "Z"
}

// groupSize counts the live members of process group pgid.
func groupSize(pgid int) int {
	entries, _ := os.ReadDir("/proc")
	n := 0
	for _, e := range entries {
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
		if len(f) >= 3 && f[0] != "Z" && f[2] == strconv.Itoa(pgid) {
			n++
		}
	}
	return n
}

// deadline fires after a generous wait: a bound against hanging.
func deadline() <-chan time.Time { return time.After(quick) }

// poll waits for cond, failing the test after a generous deadline.
func poll(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(quick)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestConsolePrintsAnchorWhenTheSessionEnds: once the console has given
// the terminal back, the anchor of the session's last event and the
// command for its report are on the screen, and verify-log --expect
// accepts the anchor as printed.
func TestConsolePrintsAnchorWhenTheSessionEnds(t *testing.T) {
	endToEnd(t)
	work := t.TempDir()
	writeFile(t, filepath.Join(work, "hang.yaml"), strings.Replace(hangRunbook, "sleep 300; ", "", 1))
	// Not writeLauncher's: it restores the screen again after runway,
	// moving the cursor back over what runway printed last.
	writeFile(t, filepath.Join(work, "launch.sh"), `"$@"; echo "runway exited $?"`)
	tm := termtest.Tmux(t, work, 80, 24)
	tm.Shell("sh launch.sh " + termtest.Binary(t) + " run hang.yaml")
	tm.WaitFor(`enter run`, quick)
	runPhase(tm, "")
	tm.WaitFor(`state: \S+ passed`, quick)
	tm.Keys("q")
	screen := tm.WaitFor(`runway exited 0`, quick)
	m := regexp.MustCompile(`(?m)^anchor (\d+:[0-9a-f]{64})\s*\nreport: runway report (\S+)\s*$`).FindStringSubmatch(screen)
	if m == nil {
		t.Fatalf("no anchor and report command on the screen:\n%s", screen)
	}
	if out, code := runway(t, work, "", "verify-log", "--expect", m[1]); code != 0 || !strings.Contains(out, "holds event") {
		t.Fatalf("verify-log --expect %s: exit %d\n%s", m[1], code, out)
	}
	if out, code := runway(t, work, "", "report", m[2]); code != 0 || !strings.Contains(out, "hang") {
		t.Fatalf("runway report %s: exit %d\n%s", m[2], code, out)
	}
}

// startHangingShell runs runbook (written to work/file) with run --plain
// until the shell of its command (an item's or a guard's) has started a
// sleep that outlives it; the shell writes its pid to work/pids. The shell's
// process group and runway are killed when the test ends.
func startHangingShell(t *testing.T, work, file, runbook, pids string) (*exec.Cmd, int) {
	t.Helper()
	writeFile(t, filepath.Join(work, file), runbook)
	cmd := exec.Command(termtest.Binary(t), "run", "--plain", file)
	cmd.Dir = work
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	shell := firstPid(t, filepath.Join(work, pids))
	t.Cleanup(func() { syscall.Kill(-shell, syscall.SIGKILL) })
	poll(t, "the shell to start its sleep", func() bool { return groupSize(shell) >= 2 })
	return cmd, shell
}
