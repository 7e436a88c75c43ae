package cli

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"runway/runbook/audit"
	"runway/ui/internal/termtest"
)

// serve outlives its own terminal: after SIGHUP, with its stdout and
// stderr gone (the arrival it logs is written to nobody), it still serves
// a participant, and SIGTERM still closes the session as usual.
func TestServeOutlivesItsTerminal(t *testing.T) {
	bin := runwayBinary(t)
	dir := t.TempDir()
	writeRunbook(t, dir, "runbook.yaml", serveRunbook)
	lead := termtest.SSHKey(t)
	writeRunbook(t, dir, "roster.yaml", fmt.Sprintf("participants:\n  - {name: alice, role: lead, key: %q}\n", termtest.AuthorizedLine(lead)))
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", "runbook.yaml", "--roster", "roster.yaml", "--listen", "127.0.0.1:0", "--audit", "runway.db")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := bufio.NewScanner(r)
	addr := ""
	for addr == "" && lines.Scan() {
		if m := regexp.MustCompile(`^serving session \S+ \(served\) on (\S+)$`).FindStringSubmatch(lines.Text()); m != nil {
			addr = m[1]
		}
	}
	if addr == "" {
		t.Fatal("no address printed")
	}
	r.Close() // the terminal is gone: every later write fails
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}

	cl, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User: "alice", Auth: []gossh.AuthMethod{gossh.PublicKeys(lead)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 30 * time.Second,
	})
	if err != nil {
		t.Fatalf("dial after SIGHUP: %v", err)
	}
	ss, err := cl.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := ss.RequestPty("xterm", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	var screen termtest.Buffer
	ss.Stdout = &screen
	if err := ss.Shell(); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "alice's console", func() bool { return regexp.MustCompile(`alice \(lead\)`).MatchString(screen.String()) })
	cl.Close()

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != ExitStopped {
		t.Fatalf("exit %d (%v), want 1", code, cmd.ProcessState)
	}
	pollLog(t, filepath.Join(dir, "runway.db"), "session.closed", func(e audit.Event) bool { return e.Kind == "session.closed" })
}
