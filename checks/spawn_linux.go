package checks

import (
	"os/exec"
	"runtime"
	"sync"
	"syscall"
)

// procAttr puts a command in its own process group and asks the kernel to
// SIGKILL it when its parent dies, so a runway killed with kill -9 leaves
// no shell behind. Its grandchildren are not covered (pdeathsig is the
// shell's alone): their group is recorded, and a resume refuses to run the
// item again while that group lives.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// Pdeathsig fires when the OS thread that forked the child exits, not the
// process. Go parks threads and reuses them, but a thread ends whenever a
// goroutine locked to it returns without unlocking, and any thread could
// be that one. So every command is started from one goroutine that locks
// its thread for the life of the process and never returns: the parent
// thread of every command lives exactly as long as runway.
var (
	spawnOnce sync.Once
	spawns    chan spawnRequest
)

type spawnRequest struct {
	cmd  *exec.Cmd
	done chan error
}

// start starts cmd from the spawner thread.
func start(cmd *exec.Cmd) error {
	spawnOnce.Do(func() {
		spawns = make(chan spawnRequest)
		go spawner()
	})
	r := spawnRequest{cmd: cmd, done: make(chan error, 1)}
	spawns <- r
	return <-r.done
}

func spawner() {
	runtime.LockOSThread() // never unlocked: this goroutine never returns
	for r := range spawns {
		r.done <- r.cmd.Start()
	}
}
