package checks

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// A process group owned by another user is alive to a process that may not
// signal it (kill answers EPERM), so a resume by another user still sees
// the command of the interrupted run.
func TestGroupOfAnotherUserIsAlive(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: starts a process as another user, then checks as a third")
	}
	sleep := exec.Command("sleep", "60")
	sleep.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	if err := sleep.Start(); err != nil {
		t.Skipf("cannot start a process as uid 65534: %v", err)
	}
	defer func() { sleep.Process.Kill(); sleep.Wait() }()
	pgid := sleep.Process.Pid
	// Look from a process of a third user, which may not signal the group:
	// this test binary, copied where that user may run it.
	self := probeBinary(t)
	for try := 0; ; try++ {
		probe := exec.Command(self, "-test.run=^TestGroupAliveProbe$")
		probe.Dir = filepath.Dir(self)
		probe.Env = append(os.Environ(), "RUNWAY_PROBE_PGID="+strconv.Itoa(pgid))
		probe.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65533, Gid: 65533}}
		out, err := probe.CombinedOutput()
		// The copy was just written: a fork elsewhere may hold it open for
		// writing for a moment (ETXTBSY).
		if errors.Is(err, syscall.ETXTBSY) && try < 100 {
			time.Sleep(20 * time.Millisecond)
			continue
		}
		if err != nil {
			t.Fatalf("the group of uid 65534 looks gone to uid 65533: %v\n%s", err, out)
		}
		return
	}
}

// probeBinary copies this test binary into a folder every user may read.
func probeBinary(t *testing.T) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "runway-probe-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	path := filepath.Join(dir, "probe.test")
	if err := os.WriteFile(path, b, 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestGroupAliveProbe is run by TestGroupOfAnotherUserIsAlive as another user.
func TestGroupAliveProbe(t *testing.T) {
	v := os.Getenv("RUNWAY_PROBE_PGID")
	if v == "" {
		t.Skip("run by TestGroupOfAnotherUserIsAlive only")
	}
	pgid, _ := strconv.Atoi(v)
	if !GroupAlive(pgid) {
		t.Fatalf("group %d reported gone", pgid)
	}
}
