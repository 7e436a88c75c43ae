package watch

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"runway/ui/internal/termtest"
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
	if runtime.GOOS != "linux" {
		t.Skip("a never-resumed session's driver is found through /proc")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "rb.yaml"), []byte(tmuxRunbook), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "runway.db")
	// Two 80×24 panes, one above the other.
	driver := termtest.Tmux(t, dir, 80, 49)
	watcher := driver.SplitBelow(dir, 24)
	bin := termtest.Binary(t)

	driver.Shell(bin + " --audit runway.db run --plain rb.yaml")
	first := waitSession(driver)
	watcher.Shell(bin + " --audit runway.db watch")
	screen := watcher.WaitFor(`(?s)latest running session, driver pid \d+.*Backups restorable\s+manual\s+awaiting`, 30*time.Second)
	if !strings.Contains(screen, "(watching, read-only)") {
		t.Fatalf("the watcher does not say it is watching:\n%s", screen)
	}

	before := countEvents(t, db)
	watcher.Keys("s", "y", "Enter", "R", "r", "o", "x", "b", "Enter", "n", "p", "+", "-", "a", "Enter")
	watcher.Text("ny")
	for range 10 { // the driver is waiting on stdin: nothing else writes
		time.Sleep(100 * time.Millisecond)
		if n := countEvents(t, db); n != before {
			t.Fatalf("keys sent to the watcher wrote %d events:\n%s", n-before, watcher.Screen())
		}
	}
	if s := driver.Screen(); !strings.Contains(s, `sign off "Backups restorable"`) || strings.Contains(s, "backups  passed") {
		t.Fatalf("the driver moved on without its operator:\n%s", s)
	}
	// The footer offers nothing that acts.
	lines := strings.Split(strings.TrimRight(watcher.Screen(), "\n"), "\n")
	footer := lines[len(lines)-1]
	k := keys.Default()
	for _, b := range k.Mutating() {
		if item := b.Help().Key + " " + b.Help().Desc; strings.Contains(footer, item) {
			t.Fatalf("the watcher's footer offers %q: %q", item, footer)
		}
	}

	// The operator signs off in the driver's pane; the watcher follows to the end.
	driver.Text("y")
	driver.Keys("Enter")
	// The watcher shows the pilot's command while it runs: until pilot.done.
	watcher.WaitFor(`Pilot command\s+command\s+running`, 30*time.Second)
	if err := os.WriteFile(filepath.Join(dir, "pilot.done"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	driver.WaitFor(`session  closed  passed`, 30*time.Second)
	screen = watcher.WaitFor(`the driver closed the session \(passed\)`, 30*time.Second)
	for _, want := range []string{"state: ✓ passed", "Pilot command", "last state kept on screen"} {
		if !strings.Contains(screen, want) {
			t.Fatalf("the watcher after the driver closed: no %q in\n%s", want, screen)
		}
	}
	watcher.Keys("q")
	watcher.WaitFor(`stopped watching session \S+: the driver closed`, 30*time.Second)

	// A second session whose driver is killed. The panes are cleared first,
	// and the waits name the new session: the first one's sign-off prompt
	// must not pass for the second's, or the watcher would start before the
	// second session exists and find none running.
	driver.Clear()
	watcher.Clear()
	driver.Shell(bin + " --audit runway.db run --plain rb.yaml")
	second := waitSession(driver)
	if second == first {
		t.Fatalf("the second driver reports the first session %s", first)
	}
	watcher.Shell(bin + " --audit runway.db watch")
	screen = watcher.WaitFor(`session `+regexp.QuoteMeta(second)+`(?s).*driver pid \d+ on`, 30*time.Second)
	pid, _ := strconv.Atoi(regexp.MustCompile(`driver pid (\d+) on`).FindStringSubmatch(screen)[1])
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatalf("kill the driver, pid %d: %v", pid, err)
	}
	screen = watcher.WaitFor(fmt.Sprintf(`driver pid %d gone at \d\d:\d\d:\d\d without closing the session`, pid), 30*time.Second)
	for _, want := range []string{"awaiting", "last state kept · runway resume"} {
		if !strings.Contains(screen, want) {
			t.Fatalf("the watcher after the driver died: no %q in\n%s", want, screen)
		}
	}
}

// waitSession waits for a line-mode driver in pane to open its session and
// ask for the sign-off, and returns the session's id.
func waitSession(pane *termtest.Pane) string {
	pane.T().Helper()
	screen := pane.WaitFor(`(?s)session \S+: paired.*sign off "Backups restorable"`, 30*time.Second)
	return regexp.MustCompile(`session (\S+): paired`).FindStringSubmatch(screen)[1]
}
