package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"runway/checks"
)

// guardHangRunbook's guard command starts a sleep that outlives its shell
// on the first sample only (guard.again then exists); the item runs until
// it is stopped the first time and passes the second.
const guardHangRunbook = `version: 1
name: guardhang
title: Guard hang
guards:
  - id: probe
    title: A probe that hangs once
    command: {run: "echo $$ >> guard.pids; test -e guard.again && echo 0 && exit 0; touch guard.again; sleep 1000; echo 0"}
    every: 5m
    critical: "> 0"
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: wait, title: Wait, command: {run: "test -e again && exit 0; touch again; exec sleep 300"}}
`

// TestKilledRunwayNamesALeftoverGuardCommand kills runway with SIGKILL
// while a guard's command runs: its shell dies with runway (pdeathsig), the
// sleep it started lives on in its process group, and resume names the
// guard and the group, as it does for an item's command, until the group
// is gone.
func TestKilledRunwayNamesALeftoverGuardCommand(t *testing.T) {
	endToEnd(t)
	work := t.TempDir()
	cmd, shell := startHangingShell(t, work, "guardhang.yaml", guardHangRunbook, "guard.pids")
	poll(t, "the guard's process group to be recorded", func() bool {
		files, _ := filepath.Glob(filepath.Join(work, "runway.db.*.guards"))
		for _, f := range files {
			b, _ := os.ReadFile(f)
			if strings.HasPrefix(string(b), strconv.Itoa(shell)+" ") {
				return true
			}
		}
		return false
	})

	// The item must have begun its sleep, or its second attempt sleeps too.
	poll(t, "the item to begin its first attempt's sleep", func() bool {
		_, err := os.Stat(filepath.Join(work, "again"))
		return err == nil
	})
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	poll(t, "the guard's shell to die with runway", func() bool { return !alive(shell) })

	out, code := runway(t, work, "", "resume", "--plain")
	want := regexp.MustCompile(`^runway: guard probe: its command from the interrupted run still runs as process group ` +
		strconv.Itoa(shell) + ` \(sleep, pid \d+\); wait for it or kill it \(kill -- -` + strconv.Itoa(shell) + `\), then resume\n$`)
	if code != 2 || !want.MatchString(out) {
		t.Fatalf("resume while the guard's sleep lives: exit %d, want 2 and %s\n%s", code, want, out)
	}
	syscall.Kill(-shell, syscall.SIGKILL)
	poll(t, "the group to go", func() bool { return !checks.GroupAlive(shell) })
	out, code = runway(t, work, "", "resume", "--plain")
	if code != 0 || !strings.Contains(out, "session  closed  passed") {
		t.Fatalf("resume once the group is gone: exit %d\n%s", code, out)
	}
	if files, _ := filepath.Glob(filepath.Join(work, "runway.db.*.guards")); len(files) != 0 {
		t.Errorf("guard records left after the session passed: %v", files)
	}
}
