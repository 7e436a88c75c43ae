package e2e

import (
	"path/filepath"
	"runway/ui/internal/termtest"
	"strings"
	"testing"
	"time"
)

// runPhase presses R and answers the confirmation: Yes, or for a high-risk
// phase its id typed out.
func runPhase(tm *termtest.Pane, highRiskID string) {
	tm.T().Helper()
	// The last phase's engines may still be leaving the live board: R then
	// says why it does nothing yet, and is pressed again.
	for try := 0; ; try++ {
		tm.Keys("R")
		screen := tm.WaitFor(`Yes, run phase|Type \S+ to run phase|✗ R: something is already running`, quick)
		if !strings.Contains(screen, "✗ R: ") || try == 50 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if highRiskID != "" {
		tm.WaitFor(`Type `+highRiskID+` to run phase`, quick)
		tm.Text(highRiskID)
	} else {
		tm.WaitFor(`Yes, run phase`, quick)
		tm.Keys("Tab")
	}
	tm.Keys("Enter")
}

const typeAheadRunbook = `version: 1
name: typeahead
title: Type-ahead
phases:
  - id: prep
    title: Preparation
    risk: medium
    expected: 1h
    items:
      - {id: mark, title: Leave a mark, critical: true, command: {run: "touch ran-prep"}}
`

// TestTypedAndPastedSentenceNeverActs drives the binary in tmux: a sentence
// typed at the item list stays in the confirmation R opened, and the same
// sentence pasted (tmux sends it bracketed only when runway asked for
// bracketed paste) is never read as keys. The log holds no action event.
func TestTypedAndPastedSentenceNeverActs(t *testing.T) {
	endToEnd(t)
	work := t.TempDir()
	writeFile(t, filepath.Join(work, "ta.yaml"), typeAheadRunbook)
	writeFile(t, filepath.Join(work, "launch.sh"), `"$@"; echo "runway exited $?"`)
	tm := termtest.Tmux(t, work, 80, 24)
	tm.Shell("sh launch.sh " + termtest.Binary(t) + " run ta.yaml")
	tm.WaitFor(`enter run`, quick)
	const sentence = "Run it later, finance not on bridge"
	tm.Text(sentence)
	tm.WaitFor(`(?s)Run phase prep.*› No, cancel.*choose with tab`, quick)
	tm.Keys("Escape")
	tm.WaitFor(`cancelled`, quick)
	tm.Paste(sentence)
	tm.WaitFor(`pasted text ignored`, quick)
	tm.Keys("q")
	tm.WaitFor(`runway exited 1`, quick)
	events := readLog(t, filepath.Join(work, "runway.db"))
	for _, e := range events {
		if !strings.HasPrefix(e.Kind, "session.") {
			t.Errorf("typed or pasted text recorded %s %s", e.Kind, e.Item)
		}
	}
}
