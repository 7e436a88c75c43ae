package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// tmux is one private tmux server with one 80×24 window, for one test. It
// never touches the user's own tmux: the socket name is unique to the test.
type tmux struct {
	t      *testing.T
	socket string
	target string
}

var tmuxSeq atomic.Int64

// newTmux starts a private tmux server. Without tmux the test is skipped,
// unless CI=true, where a missing tmux is a failure.
func newTmux(t *testing.T, dir string) *tmux {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is not installed (CI=true: .ci/run installs it)")
		}
		t.Skip("tmux is not installed")
	}
	m := &tmux{t: t, socket: fmt.Sprintf("runway-e2e-%d-%d", os.Getpid(), tmuxSeq.Add(1)), target: "e2e:0"}
	m.run("-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", "80", "-y", "24", "-c", dir,
		"env", "PS1=$ ", "TERM=xterm-256color", "NO_COLOR=1", "sh")
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("last screen:\n%s", m.screen())
		}
		exec.Command("tmux", "-L", m.socket, "kill-server").Run()
	})
	// A fixed size whatever the client: there is no client.
	m.run("set-option", "-t", "e2e", "window-size", "manual")
	m.run("resize-window", "-t", m.target, "-x", "80", "-y", "24")
	return m
}

func (m *tmux) run(args ...string) string {
	m.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", m.socket}, args...)...).CombinedOutput()
	if err != nil {
		m.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// shell types a command line into the window's shell and presses Enter.
func (m *tmux) shell(line string) {
	m.t.Helper()
	m.run("send-keys", "-t", m.target, "-l", line)
	m.run("send-keys", "-t", m.target, "Enter")
}

// clear empties the screen and waits until it shows only the prompt, so
// that nothing printed before can match a later wait.
func (m *tmux) clear() {
	m.t.Helper()
	m.shell("clear")
	m.waitFor(`^\$ *\n\s*$`, 30*time.Second)
}

// keys sends key names (Enter, Escape, Down, C-c…) or single characters.
func (m *tmux) keys(keys ...string) {
	m.t.Helper()
	m.run(append([]string{"send-keys", "-t", m.target}, keys...)...)
}

// text types literal text, with no key-name interpretation.
func (m *tmux) text(s string) {
	m.t.Helper()
	m.run("send-keys", "-t", m.target, "-l", s)
}

// screen is the window's visible text now.
func (m *tmux) screen() string {
	out, err := exec.Command("tmux", "-L", m.socket, "capture-pane", "-p", "-t", m.target).CombinedOutput()
	if err != nil {
		return fmt.Sprintf("(capture-pane: %v: %s)", err, out)
	}
	return string(out)
}

// waitFor polls the screen until pattern matches, or fails the test when
// the deadline passes; it returns the screen that matched.
func (m *tmux) waitFor(pattern string, within time.Duration) string {
	m.t.Helper()
	re := regexp.MustCompile(pattern)
	deadline := time.Now().Add(within)
	for {
		s := m.screen()
		if re.MatchString(s) {
			return s
		}
		if time.Now().After(deadline) {
			m.t.Fatalf("after %s the screen does not match %q:\n%s", within, pattern, s)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
