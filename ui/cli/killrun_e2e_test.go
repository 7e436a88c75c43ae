package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"runway/checks"
	"runway/runbook/audit"
)

// killRun kills -9 the run started as cmd (in a process group of its own)
// once its log at db records the process group of item's command, as a
// crash would, and returns that group. The item's shell dies with runway;
// what the shell started may not: see killGroup.
func killRun(t *testing.T, cmd *exec.Cmd, db, item string) (pgid int) {
	t.Helper()
	// The group is recorded just after the command starts; a kill before
	// that record would leave it unknown to resume.
	pollLog(t, db, "the process group of "+item, func(e audit.Event) bool {
		if e.Kind != "item.process" || e.Item != item {
			return false
		}
		var p struct {
			PGID int `json:"pgid"`
		}
		json.Unmarshal(e.Payload, &p)
		pgid = p.PGID
		return pgid > 0
	})
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	return pgid
}

// killGroup kills what is left of process group pgid and waits until the
// group is gone, as a lead would before resuming: a resume refuses to run
// an item again while its earlier command lives.
func killGroup(t *testing.T, pgid int) {
	t.Helper()
	syscall.Kill(-pgid, syscall.SIGKILL)
	for deadline := time.Now().Add(30 * time.Second); checks.GroupAlive(pgid); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("process group %d outlives SIGKILL", pgid)
		}
	}
}

// waitForFile waits until path exists.
func waitForFile(t *testing.T, path, what string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s (%s)", what, path)
		}
	}
}
