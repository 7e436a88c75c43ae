package checks

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"runway/runbook"
)

const orphanHelperEnv = "RUNWAY_TEST_ORPHAN_DIR"

// orphanHelper runs a command check that waits forever, in a process the
// test kills with SIGKILL: it stands for runway killed with kill -9.
func orphanHelper(dir string) {
	c, _ := New(runbook.Spec{Command: &runbook.Command{Run: "echo $$ > shell.pid; sleep 300; true"}})
	c.Run(context.Background(), Env{Dir: dir, Started: func(pgid int) {
		os.WriteFile(filepath.Join(dir, "started.pgid"), []byte(strconv.Itoa(pgid)), 0o644)
	}})
	os.Exit(0)
}

// A command's shell dies with runway even when runway is killed with
// SIGKILL and cleans nothing up (pdeathsig); Started learned its group.
func TestCommandShellDiesWithKilledRunway(t *testing.T) {
	dir := t.TempDir()
	helper := exec.Command(os.Args[0], "-test.run=^$")
	helper.Env = append(os.Environ(), orphanHelperEnv+"="+dir)
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { helper.Process.Kill(); helper.Wait() })
	shell := readPid(t, filepath.Join(dir, "shell.pid"))
	pgid := readPid(t, filepath.Join(dir, "started.pgid"))
	t.Cleanup(func() { syscall.Kill(-pgid, syscall.SIGKILL) }) // the sleep, a grandchild, is not covered
	if pgid != shell {
		t.Fatalf("Started got %d, the shell is %d (it leads its own group)", pgid, shell)
	}
	if !GroupAlive(pgid) {
		t.Fatal("the command's group is not running")
	}
	helper.Process.Signal(syscall.SIGKILL)
	helper.Wait()
	poll(t, "the shell to die with its parent", func() bool { return !alive(shell) })
}

func readPid(t *testing.T, path string) int {
	t.Helper()
	var pid int
	poll(t, "a pid in "+filepath.Base(path), func() bool {
		b, err := os.ReadFile(path)
		pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		return err == nil && pid > 0
	})
	return pid
}

func poll(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
