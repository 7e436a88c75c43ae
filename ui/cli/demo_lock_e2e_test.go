package cli

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"runway/runbooks/demo"
)

// A demo folder another process holds is refused before anything is
// checked or built: one line, exit 2, naming the holder.
func TestDemoRefusesAFolderAnotherProcessHolds(t *testing.T) {
	work := t.TempDir()
	dm := filepath.Join(work, "dm")
	lock, err := demo.At(dm).Lock() // this test process is the first demo
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	code, out, errOut := runway(t, work, nil, "demo", "--dir", "dm", "--plain")
	want := fmt.Sprintf("runway: another runway demo (process %d) is using %s: wait for it to end, or choose another --dir\n", os.Getpid(), dm)
	if code != ExitUsage || errOut != want {
		t.Errorf("second demo: exit %d\nstderr %q\nwant   %q\nstdout %q", code, errOut, want, out)
	}
	if _, err := os.Stat(filepath.Join(dm, demo.LegacyFile)); err == nil {
		t.Error("the refused demo built the folder")
	}
}

// Two demos started at the same moment: one drives, the other is refused
// with one line and exit 2, and the folder holds one session.
func TestTwoDemosAtOnce(t *testing.T) {
	bin := runwayBinary(t)
	work := t.TempDir()
	type proc struct {
		cmd         *exec.Cmd
		stdin       interface{ Close() error }
		out, errOut bytes.Buffer
		done        chan struct{}
	}
	start := func() *proc {
		p := &proc{done: make(chan struct{})}
		p.cmd = exec.Command(bin, "demo", "--dir", "dm", "--plain")
		p.cmd.Dir = work
		p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.errOut
		in, err := p.cmd.StdinPipe() // kept open: the driving one waits at its first sign-off
		if err != nil {
			t.Fatal(err)
		}
		p.stdin = in
		if err := p.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { p.cmd.Wait(); close(p.done) }()
		return p
	}
	a, b := start(), start()
	var refused, driving *proc
	select {
	case <-a.done:
		refused, driving = a, b
	case <-b.done:
		refused, driving = b, a
	case <-time.After(2 * time.Minute):
		a.cmd.Process.Kill()
		b.cmd.Process.Kill()
		t.Fatal("neither demo ended")
	}
	driving.stdin.Close()
	<-driving.done
	e := refused.errOut.String()
	if refused.cmd.ProcessState.ExitCode() != ExitUsage || strings.Count(e, "\n") != 1 ||
		!strings.Contains(e, fmt.Sprintf("(process %d)", driving.cmd.Process.Pid)) {
		t.Errorf("refused demo: exit %d %q (the other is process %d)", refused.cmd.ProcessState.ExitCode(), e, driving.cmd.Process.Pid)
	}
	if !strings.Contains(driving.out.String(), "awaiting sign-off") {
		t.Errorf("the other demo did not drive:\n%s\n%s", driving.out.String(), driving.errOut.String())
	}
	if n := strings.Count(driving.out.String()+refused.out.String(), "session  opened"); n != 1 {
		t.Errorf("%d sessions opened, want 1", n)
	}
}
