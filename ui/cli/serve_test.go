package cli

import (
	"bufio"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"runway/runbook/audit"
	"runway/ui/internal/termtest"
)

const serveRunbook = `
version: 1
name: served
title: Served
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: a, title: A, command: {run: "true"}}
`

// The binary serves, an observer connecting with Go's SSH client is
// refused an action and the refusal is recorded under her name, and
// SIGTERM closes the session with exit status 1 (work left to do).
func TestServeBinary(t *testing.T) {
	bin := runwayBinary(t)
	dir := t.TempDir()
	writeRunbook(t, dir, "runbook.yaml", serveRunbook)
	lead, olive := termtest.SSHKey(t), termtest.SSHKey(t)
	writeRunbook(t, dir, "roster.yaml", fmt.Sprintf("participants:\n  - {name: alice, role: lead, key: %q}\n  - {name: olive, role: observer, key: %q}\n",
		termtest.AuthorizedLine(lead), termtest.AuthorizedLine(olive)))
	cmd := exec.Command(bin, "serve", "runbook.yaml", "--roster", "roster.yaml", "--listen", "127.0.0.1:0", "--audit", "runway.db")
	cmd.Dir = dir
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errOut termtest.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := bufio.NewScanner(stdout)
	addr := ""
	for lines.Scan() {
		if m := regexp.MustCompile(`^serving session \S+ \(served\) on (\S+)$`).FindStringSubmatch(lines.Text()); m != nil {
			addr = m[1]
			break
		}
	}
	if addr == "" {
		t.Fatalf("no address printed; stderr: %s", errOut.String())
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()

	cl, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User: "olive", Auth: []gossh.AuthMethod{gossh.PublicKeys(olive)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 30 * time.Second,
	})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer cl.Close()
	ss, err := cl.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := ss.RequestPty("xterm", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	in, _ := ss.StdinPipe()
	var screen termtest.Buffer
	ss.Stdout = &screen
	if err := ss.Shell(); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "olive's console", func() bool { return strings.Contains(screen.String(), "olive (observer)") })
	_, _ = io.WriteString(in, "R")
	pollLog(t, filepath.Join(dir, "runway.db"), "olive's refusal", func(e audit.Event) bool {
		return e.Kind == "action.refused" && e.Actor == "olive"
	})
	waitUntil(t, "the arrival on stderr", func() bool { return strings.Contains(errOut.String(), "olive (observer) connected from 127.0.0.1:") })

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != ExitStopped {
		t.Fatalf("exit %d (%v), want 1; stderr: %s", code, err, errOut.String())
	}
	if !strings.Contains(errOut.String(), "continue it with: runway serve --resume") {
		t.Fatalf("stderr: %s", errOut.String())
	}
	pollLog(t, filepath.Join(dir, "runway.db"), "session.closed", func(e audit.Event) bool { return e.Kind == "session.closed" })
	waitUntil(t, "the goodbye on olive's terminal", func() bool { return strings.Contains(screen.String(), "runway: serving stopped") })
}

func waitUntil(t *testing.T, what string, ok func() bool) {
	t.Helper()
	end := time.Now().Add(30 * time.Second)
	for !ok() {
		if time.Now().After(end) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
