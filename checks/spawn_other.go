//go:build !linux

package checks

import (
	"os/exec"
	"syscall"
)

// procAttr puts a command in its own process group. Without pdeathsig a
// killed runway leaves it running; its group is recorded, and a resume
// refuses to run the item again while that group lives.
func procAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

// start starts cmd.
func start(cmd *exec.Cmd) error { return cmd.Start() }
