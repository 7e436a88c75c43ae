package proc

import (
	"os"
	"os/exec"
	"testing"
)

func TestAlive(t *testing.T) {
	if live, known := Alive(os.Getpid()); known && !live {
		t.Fatal("this process is not alive")
	}
	if live, _ := Alive(0); live {
		t.Error("pid 0 is alive")
	}
	child := exec.Command("true")
	if err := child.Run(); err != nil {
		t.Skipf("no child process: %v", err)
	}
	// Reaped by Run: the pid names no process now (reuse this soon is
	// beyond what a test machine does).
	if live, known := Alive(child.Process.Pid); known && live {
		t.Errorf("a reaped child %d is alive", child.Process.Pid)
	}
}
