package e2e

import (
	"os"
	"path/filepath"
	"runway/ui/internal/termtest"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// sightRunbook's critical item waits for a file named go, then fails: the
// test decides when the stop comes.
const sightRunbook = `version: 1
name: sight
title: A stop in a small pane
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: first, title: First, command: {run: "echo first"}}
      - {id: wait, title: Wait for the signal, critical: true, command: {run: "while [ ! -e go ]; do sleep 0.1; done; exit 1"}}
`

// TestStopRingsTitlesAndStaysInSight drives the console in tmux: the pane
// is shrunk to 60×20 while an item runs and the compact view keeps the
// state and the phase; when the critical item fails, the stop shows with
// its choices in the small pane, the terminal bell rings (tmux's alert-bell
// hook and the window's bell flag) and the pane's title says
// "runway ⏸ STOPPED one/wait".
func TestStopRingsTitlesAndStaysInSight(t *testing.T) {
	endToEnd(t)
	work := t.TempDir()
	writeFile(t, filepath.Join(work, "rb.yaml"), sightRunbook)
	bells := filepath.Join(work, "bells")
	tm := termtest.Tmux(t, work, 80, 24)
	tm.Server().Run("set-option", "-g", "bell-action", "any")
	tm.Server().Run("set-window-option", "-g", "monitor-bell", "on")
	tm.Server().Run("set-hook", "-g", "alert-bell", "run-shell 'echo bell >> "+bells+"'")
	writeLauncher(t, work)
	tm.Shell("sh launch.sh run rb.yaml --audit runway.db")
	tm.WaitFor(`enter run`, quick)
	poll(t, "the pane title to name runway's state", func() bool { return strings.HasPrefix(tm.Format("#{pane_title}"), "runway ▶") })

	runPhase(tm, "")
	tm.WaitFor(`▶ Wait for the signal`, quick)
	tm.Server().Run("resize-window", "-t", tm.Target(), "-x", "60", "-y", "20")
	screen := tm.WaitFor(`state: ▶ running`, quick)
	if !strings.Contains(screen, "PHASE One") || !strings.Contains(screen, "Wait for the signal") || strings.Contains(screen, "at least 80") {
		t.Fatalf("the compact view at 60×20 lacks the phase or the item:\n%s", screen)
	}
	for i, l := range strings.Split(screen, "\n") {
		if n := ansi.StringWidth(l); n > 60 {
			t.Errorf("line %d is %d wide at 60 columns: %q", i+1, n, l)
		}
	}
	if _, err := os.Stat(bells); err == nil || tm.Format("#{window_bell_flag}") != "0" {
		t.Fatalf("a bell rang before the stop (flag %s)", tm.Format("#{window_bell_flag}"))
	}

	writeFile(t, filepath.Join(work, "go"), "")
	screen = tm.WaitFor(`STOPPED · one/wait`, quick)
	for _, want := range []string{"r retry", "state: ■ stopped"} {
		if !strings.Contains(screen, want) {
			t.Errorf("no %q in the 60×20 stop screen:\n%s", want, screen)
		}
	}
	poll(t, "the pane title to say STOPPED", func() bool { return tm.Format("#{pane_title}") == "runway ⏸ STOPPED one/wait" })
	poll(t, "the bell to ring", func() bool {
		b, _ := os.ReadFile(bells)
		return strings.Count(string(b), "bell") >= 1 && tm.Format("#{window_bell_flag}") == "1"
	})
}
