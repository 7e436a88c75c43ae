package session

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A guard command's group is on file while it runs and the file is gone
// when none runs; resume names a recorded group that still lives, on this
// host only.
func TestGuardProcsRecordAndLeftover(t *testing.T) {
	path := filepath.Join(t.TempDir(), "runway.db.s1.guards")
	if err := os.WriteFile(path, []byte("1 h stale\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	g := newGuardProcs(path, "h")
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("a fresh record keeps the old file: %v", err)
	}
	sleep := exec.Command("sleep", "300")
	sleep.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := sleep.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sleep.Process.Kill(); sleep.Wait() })
	pgid := sleep.Process.Pid
	g.started("probe", pgid)
	if err := leftGuard(path, "elsewhere"); err != nil {
		t.Errorf("a group recorded on another host is named: %v", err)
	}
	var left *LeftRunningError
	err := leftGuard(path, "h")
	if !errors.As(err, &left) || left.Guard != "probe" || left.PGID != pgid || !strings.HasPrefix(err.Error(), "guard probe: ") {
		t.Fatalf("leftover: %v", err)
	}
	g.ended(pgid)
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("the file stays once no guard command runs: %v", err)
	}
	if err := leftGuard(path, "h"); err != nil {
		t.Fatalf("no file, yet: %v", err)
	}
}
