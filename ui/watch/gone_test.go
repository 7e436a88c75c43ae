package watch

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"runway/runbook/audit"
	"runway/runbook/fold"
	"runway/runbook/session"
)

// TestDriverKilledThenResumed runs the driver in another process, watches
// it from this one, kills the driver with SIGKILL and expects the watcher to
// say it is gone and keep its last state; a resume (here, in this process)
// names its pid in the log and the watcher follows it again.
func TestDriverKilledThenResumed(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("finding the driver of a never-resumed session reads /proc")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "RUNWAY_WATCH_TEST_DRIVER="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "ready ") {
		t.Fatalf("driver process: %q %v", line, err)
	}
	id := strings.TrimSpace(strings.TrimPrefix(line, "ready "))

	// This process holds the log only read-only: counting itself must not
	// find a writer here.
	path := filepath.Join(dir, "runway.db")
	src, err := Open(context.Background(), path, id, Options{Every: 20 * time.Millisecond, Probe: 20 * time.Millisecond, countSelf: true})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	eventually(t, "the driver process is found", func() bool {
		d := src.Driver()
		return d.State == DriverRunning && d.PID == cmd.Process.Pid
	})
	before := src.State()
	if got := before.Item("prep", "backups").Status; got != fold.ItemAwaiting {
		t.Fatalf("backups %s, want awaiting", got)
	}

	cmd.Process.Kill()
	cmd.Wait()
	eventually(t, "the watcher says the driver is gone", func() bool { return src.Driver().State == DriverGone })
	d := src.Driver()
	if d.PID != cmd.Process.Pid || !strings.Contains(d.String(), "gone at ") || !strings.Contains(d.String(), "without closing the session") {
		t.Fatalf("gone status: %+v %q", d, d.String())
	}
	if after := src.State(); after.Seq != before.Seq || fold.StateChecksum(after) != fold.StateChecksum(before) {
		t.Fatal("the watcher's state changed after the driver died")
	}

	// A resume records its pid; the watcher follows the new driver.
	l, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	sess, err := session.Resume(context.Background(), l, id, session.Options{Operator: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close(context.Background())
	eventually(t, "the watcher follows the resumed session", func() bool {
		d := src.Driver()
		return d.State == DriverRunning && d.PID == os.Getpid() && src.State().Seq == sess.State().Seq
	})
}
