package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"runway/ui/internal/termtest"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// onlyItemRunbook's one item runs until it is stopped.
const onlyItemRunbook = `version: 1
name: one-driver
title: One driver
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: work, title: Work, command: {run: "sleep 300"}}
`

// TestTwoResumesAtOnceOneDrives starts two `runway resume` of the same
// session at the same moment, round after round: each time exactly one
// drives, the other is refused with exit 2 naming the driver's pid, and
// the log holds exactly one session.resumed per round.
func TestTwoResumesAtOnceOneDrives(t *testing.T) {
	endToEnd(t)
	work := t.TempDir()
	writeFile(t, filepath.Join(work, "one.yaml"), onlyItemRunbook)
	first := startPlain(t, work, "first.out", "run", "--plain", "one.yaml")
	stopDriver(t, first)

	const rounds = 30
	for round := range rounds {
		var procs [2]*driverProc
		for i := range procs {
			procs[i] = startPlain(t, work, "round"+strconv.Itoa(round)+"-"+strconv.Itoa(i)+".out", "resume", "--plain")
		}
		// One of them ends: the refused one. Waiting on both, first come.
		exited := make(chan int, 2)
		for i, p := range procs {
			go func() { <-p.done; exited <- i }()
		}
		var loser int
		select {
		case loser = <-exited:
		case <-deadline():
			t.Fatalf("round %d: both resumes drive the session:\n%s\n%s", round, procs[0].output(), procs[1].output())
		}
		winner := procs[1-loser]
		want := "is being driven by process " + strconv.Itoa(winner.cmd.Process.Pid) + " on host "
		if code := procs[loser].cmd.ProcessState.ExitCode(); code != 2 || !strings.Contains(procs[loser].output(), want) {
			t.Fatalf("round %d: the resume that ended exited %d, want 2 naming process %d:\n%s", round, code, winner.cmd.Process.Pid, procs[loser].output())
		}
		stopDriver(t, winner)
	}
	kinds, _ := sessionEnd(t, filepath.Join(work, "runway.db"))
	if n := strings.Count(kinds, "session.resumed "); n != rounds {
		t.Fatalf("the log holds %d session.resumed for %d rounds", n, rounds)
	}
}

// driverProc is a runway started in the background, its output in a file.
type driverProc struct {
	cmd  *exec.Cmd
	out  string
	done chan struct{}
}

func (p *driverProc) output() string {
	b, _ := os.ReadFile(p.out)
	return string(b)
}

// startPlain starts runway with args in dir, output to the file name.
func startPlain(t *testing.T, dir, name string, args ...string) *driverProc {
	t.Helper()
	out, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	cmd := exec.Command(termtest.Binary(t), args...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &driverProc{cmd: cmd, out: out.Name(), done: make(chan struct{})}
	go func() { cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { cmd.Process.Kill(); <-p.done })
	return p
}

// stopDriver waits until the driver runs the item, then stops it with
// ctrl-c (SIGINT): exit 1, the session closed resumably.
func stopDriver(t *testing.T, p *driverProc) {
	t.Helper()
	poll(t, "the driver to run the item", func() bool { return strings.Contains(p.output(), "one/work  started") })
	p.cmd.Process.Signal(syscall.SIGINT)
	<-p.done
	if code := p.cmd.ProcessState.ExitCode(); code != 1 {
		t.Fatalf("the driver exited %d after ctrl-c, want 1:\n%s", code, p.output())
	}
}
