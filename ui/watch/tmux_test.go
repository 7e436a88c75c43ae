package watch

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"runway/ui/keys"
)

// tmuxRunbook waits for a sign-off on stdin in its first phase, then runs a
// second phase and passes. The pilot's command runs until the test creates
// pilot.done, so that the watcher is seen showing it running whatever the
// machine's load.
const tmuxRunbook = `
version: 1
name: paired
title: A change watched from a second pane
phases:
  - id: prep
    title: Preparation
    risk: low
    expected: 1h
    items:
      - {id: hello, title: Say hello, command: {run: "echo hello"}}
      - {id: backups, title: Backups restorable, manual: {expect: "restore test passed"}}
  - id: pilot
    title: Pilot
    risk: medium
    expected: 1h
    items:
      - {id: pilot-cmd, title: Pilot command, command: {run: "while [ ! -e pilot.done ]; do sleep 0.05; done; echo pilot"}}
`

// TestTwoPanes drives a session with the real binary in one tmux pane
// (line mode, the sign-off typed on its stdin) and watches it from a second
// 80×24 pane: the watcher follows, the keys sent to it change nothing in
// the log, and it says so when the driver closes the session. A second
// driver is then killed, and the watcher says it is gone.
func TestTwoPanes(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is not installed (CI=true)")
		}
		t.Skip("tmux is not installed")
	}
	if runtime.GOOS != "linux" {
		t.Skip("a never-resumed session's driver is found through /proc")
	}
	bin := buildRunway(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "rb.yaml"), []byte(tmuxRunbook), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "runway.db")
	x := newPanes(t, dir)
	driver, watcher := x.target+".0", x.target+".1"

	x.shell(driver, bin+" --audit runway.db run --plain rb.yaml")
	first := x.waitSession(driver)
	x.shell(watcher, bin+" --audit runway.db watch")
	screen := x.waitFor(watcher, `(?s)latest running session, driver pid \d+.*Backups restorable\s+manual\s+awaiting`, 30*time.Second)
	if !strings.Contains(screen, "(watching, read-only)") {
		t.Fatalf("the watcher does not say it is watching:\n%s", screen)
	}

	before := countEvents(t, db)
	x.keys(watcher, "s", "y", "Enter", "R", "r", "o", "x", "b", "Enter", "n", "p", "+", "-", "a", "Enter")
	x.text(watcher, "ny")
	for range 10 { // the driver is waiting on stdin: nothing else writes
		time.Sleep(100 * time.Millisecond)
		if n := countEvents(t, db); n != before {
			t.Fatalf("keys sent to the watcher wrote %d events:\n%s", n-before, x.screen(watcher))
		}
	}
	if s := x.screen(driver); !strings.Contains(s, `sign off "Backups restorable"`) || strings.Contains(s, "backups  passed") {
		t.Fatalf("the driver moved on without its operator:\n%s", s)
	}
	// The footer offers nothing that acts.
	lines := strings.Split(strings.TrimRight(x.screen(watcher), "\n"), "\n")
	footer := lines[len(lines)-1]
	k := keys.Default()
	for _, b := range k.Mutating() {
		if item := b.Help().Key + " " + b.Help().Desc; strings.Contains(footer, item) {
			t.Fatalf("the watcher's footer offers %q: %q", item, footer)
		}
	}

	// The operator signs off in the driver's pane; the watcher follows to the end.
	x.text(driver, "y")
	x.keys(driver, "Enter")
	// The watcher shows the pilot's command while it runs: until pilot.done.
	x.waitFor(watcher, `Pilot command\s+command\s+running`, 30*time.Second)
	if err := os.WriteFile(filepath.Join(dir, "pilot.done"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	x.waitFor(driver, `session  closed  passed`, 30*time.Second)
	screen = x.waitFor(watcher, `the driver closed the session \(passed\)`, 30*time.Second)
	for _, want := range []string{"state: ✓ passed", "Pilot command", "last state kept on screen"} {
		if !strings.Contains(screen, want) {
			t.Fatalf("the watcher after the driver closed: no %q in\n%s", want, screen)
		}
	}
	x.keys(watcher, "q")
	x.waitFor(watcher, `stopped watching session \S+: the driver closed`, 30*time.Second)

	// A second session whose driver is killed. The panes are cleared first,
	// and the waits name the new session: the first one's sign-off prompt
	// must not pass for the second's, or the watcher would start before the
	// second session exists and find none running.
	x.clear(driver)
	x.clear(watcher)
	x.shell(driver, bin+" --audit runway.db run --plain rb.yaml")
	second := x.waitSession(driver)
	if second == first {
		t.Fatalf("the second driver reports the first session %s", first)
	}
	x.shell(watcher, bin+" --audit runway.db watch")
	screen = x.waitFor(watcher, `session `+regexp.QuoteMeta(second)+`(?s).*driver pid \d+ on`, 30*time.Second)
	pid, _ := strconv.Atoi(regexp.MustCompile(`driver pid (\d+) on`).FindStringSubmatch(screen)[1])
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatalf("kill the driver, pid %d: %v", pid, err)
	}
	screen = x.waitFor(watcher, fmt.Sprintf(`driver pid %d gone at \d\d:\d\d:\d\d without closing the session`, pid), 30*time.Second)
	for _, want := range []string{"awaiting", "last state kept · runway resume"} {
		if !strings.Contains(screen, want) {
			t.Fatalf("the watcher after the driver died: no %q in\n%s", want, screen)
		}
	}
}

// buildRunway builds the runway binary into a temporary folder.
func buildRunway(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "runway")
	_, here, _, _ := runtime.Caller(0)
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = filepath.Join(filepath.Dir(here), "..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// panes is a private tmux server with one window split in two 80×24 panes.
type panes struct {
	t      *testing.T
	socket string
	target string
}

func newPanes(t *testing.T, dir string) *panes {
	x := &panes{t: t, socket: fmt.Sprintf("runway-watch-%d", os.Getpid()), target: "w:0"}
	sh := []string{"env", "PS1=$ ", "TERM=xterm-256color", "NO_COLOR=1", "sh"}
	x.run(append([]string{"-f", "/dev/null", "new-session", "-d", "-s", "w", "-x", "80", "-y", "49", "-c", dir}, sh...)...)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("driver pane:\n%s\nwatcher pane:\n%s", x.screen(x.target+".0"), x.screen(x.target+".1"))
		}
		exec.Command("tmux", "-L", x.socket, "kill-server").Run()
	})
	x.run("set-option", "-t", "w", "window-size", "manual")
	x.run("resize-window", "-t", x.target, "-x", "80", "-y", "49")
	x.run(append([]string{"split-window", "-v", "-l", "24", "-t", x.target, "-c", dir}, sh...)...)
	return x
}

func (x *panes) run(args ...string) string {
	x.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", x.socket}, args...)...).CombinedOutput()
	if err != nil {
		x.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (x *panes) shell(pane, line string) {
	x.t.Helper()
	x.run("send-keys", "-t", pane, "-l", line)
	x.run("send-keys", "-t", pane, "Enter")
}

func (x *panes) keys(pane string, keys ...string) {
	x.t.Helper()
	x.run(append([]string{"send-keys", "-t", pane}, keys...)...)
}

func (x *panes) text(pane, s string) {
	x.t.Helper()
	x.run("send-keys", "-t", pane, "-l", s)
}

func (x *panes) screen(pane string) string {
	out, err := exec.Command("tmux", "-L", x.socket, "capture-pane", "-p", "-t", pane).CombinedOutput()
	if err != nil {
		return fmt.Sprintf("(capture-pane: %v: %s)", err, out)
	}
	return string(out)
}

// clear empties a pane's screen and waits until it shows only the prompt,
// so that nothing a previous command printed can match a later wait.
func (x *panes) clear(pane string) {
	x.t.Helper()
	x.shell(pane, "clear")
	x.waitFor(pane, `^\$ *\n\s*$`, 30*time.Second)
}

// waitSession waits for a line-mode driver in pane to open its session and
// ask for the sign-off, and returns the session's id.
func (x *panes) waitSession(pane string) string {
	x.t.Helper()
	screen := x.waitFor(pane, `(?s)session \S+: paired.*sign off "Backups restorable"`, 30*time.Second)
	return regexp.MustCompile(`session (\S+): paired`).FindStringSubmatch(screen)[1]
}

// waitFor polls a pane until pattern matches, or fails the test.
func (x *panes) waitFor(pane, pattern string, within time.Duration) string {
	x.t.Helper()
	re := regexp.MustCompile(pattern)
	deadline := time.Now().Add(within)
	for {
		s := x.screen(pane)
		if re.MatchString(s) {
			return s
		}
		if time.Now().After(deadline) {
			x.t.Fatalf("after %s pane %s does not match %q:\n%s", within, pane, pattern, s)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
