package checks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync/atomic"
	"syscall"
	"time"

	"runway/runbook"
)

// killGrace is how long a command's process group has between SIGTERM and
// SIGKILL once its context ends, unless Env.KillGrace says otherwise.
const killGrace = 2 * time.Second

// commandCheck runs shell text with `sh -c` in the runbook's folder.
type commandCheck struct {
	script  string
	vars    []string // NAME=value for the ${VAR} references the script leaves to the shell
	exit    int
	pattern *pattern // nil: output not checked
	stdin   []byte   // nil: none (a notify channel's event)
}

func newCommand(c *runbook.Command) (runner, error) {
	if c.Run == "" {
		return nil, fmt.Errorf("run is empty")
	}
	cc := &commandCheck{script: c.Run, vars: c.Env, exit: c.ExpectExit}
	if c.ExpectOutput != "" {
		re, err := compilePattern(c.ExpectOutput)
		if err != nil {
			return nil, fmt.Errorf("expect_output: %w", err)
		}
		cc.pattern = re
	}
	return cc, nil
}

func (c *commandCheck) run(ctx context.Context, env Env) Result {
	out := &capture{}
	cmd := exec.CommandContext(ctx, "sh", "-c", c.script)
	cmd.Dir = env.Dir
	// Variables reach the shell as environment, never as script text: the
	// shell expands them as data, so quotes or $(…) in a value stay inert.
	if len(c.vars) > 0 {
		cmd.Env = append(os.Environ(), c.vars...)
	}
	if c.stdin != nil {
		cmd.Stdin = bytes.NewReader(c.stdin)
	}
	cmd.Stdout, cmd.Stderr = out, out // one writer: exec merges them through one pipe
	// Its own process group, so that children started by the shell (pipes,
	// background jobs) are stopped with it; and killed with runway if
	// runway is killed (see procAttr).
	cmd.SysProcAttr = procAttr()
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM) }
	// After the grace, exec kills the shell and stops waiting for children
	// that still hold the output pipe.
	grace := env.KillGrace
	if grace <= 0 {
		grace = killGrace
	}
	cmd.WaitDelay = grace

	if err := start(cmd); err != nil {
		return Result{Summary: fmt.Sprintf("cannot start command in %s: %v", dirName(env.Dir), err)}
	}
	if env.Started != nil {
		env.Started(cmd.Process.Pid)
	}
	var stoppedAt atomic.Int64
	defer context.AfterFunc(ctx, func() { stoppedAt.Store(time.Now().UnixNano()) })()
	err := cmd.Wait()
	if ctx.Err() != nil {
		at := time.Now()
		if ns := stoppedAt.Load(); ns != 0 {
			at = time.Unix(0, ns)
		}
		killGroup(cmd.Process.Pid, at, grace)
		return Result{Output: out.text(env.redact())}
	}
	res := Result{Output: out.text(env.redact())}
	state := cmd.ProcessState
	var exitErr *exec.ExitError
	switch {
	case state == nil:
		res.Summary = fmt.Sprintf("command did not finish: %v", err)
		return res
	case err != nil && !errors.As(err, &exitErr) && !errors.Is(err, exec.ErrWaitDelay):
		res.Summary = fmt.Sprintf("command output lost: %v", err)
		return res
	}
	if ws, ok := state.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		res.Summary = fmt.Sprintf("killed by signal %s (expected exit %d)", ws.Signal(), c.exit)
		return res
	}
	code := state.ExitCode()
	res.Passed = code == c.exit
	if res.Passed {
		res.Summary = fmt.Sprintf("exit %d (expected %d)", code, c.exit)
	} else {
		res.Summary = fmt.Sprintf("exit %d, expected %d", code, c.exit)
	}
	if c.pattern != nil {
		if c.pattern.match(out.raw()) {
			res.Summary += fmt.Sprintf(", output matches /%s/", c.pattern)
		} else {
			res.Passed = false
			res.Summary += fmt.Sprintf(", output does not match /%s/", c.pattern)
		}
	}
	return res
}

// killGroup makes sure nothing of a stopped command's process group outlives
// the check: members get until the grace after the stop to exit on SIGTERM,
// then SIGKILL.
func killGroup(pgid int, stoppedAt time.Time, grace time.Duration) {
	deadline := stoppedAt.Add(grace)
	for time.Now().Before(deadline) {
		if !GroupAlive(pgid) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	syscall.Kill(-pgid, syscall.SIGKILL)
}

func dirName(dir string) string {
	if dir == "" {
		return "the current folder"
	}
	return dir
}
