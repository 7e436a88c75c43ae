package e2e

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"runway/runbook/event"
	"runway/ui/internal/termtest"
)

// forecastRunbook's window ends ten minutes after the test starts; its
// phases expect 30m and 1h: once prep starts, the forecast passes the end.
const forecastRunbook = `version: 1
name: forecast
title: Plan against actual
window: {start: "%START%", end: "%END%"}
phases:
  - id: prep
    title: Prep
    risk: low
    expected: 30m
    items:
      - {id: look, title: Look around, manual: {expect: "all quiet"}}
  - id: move
    title: Move
    risk: low
    expected: 1h
    items:
      - {id: done, title: Done, command: {run: "true"}}
`

// TestHeaderForecastAndWindowDrift drives the console in tmux at 80×24:
// the header's third line shows the phase's forecast end next to its plan
// and the window's end next to the forecast; once the phase runs, the
// forecast passes the window's end, the line is marked "!", and the log
// holds one window drift warning.
func TestHeaderForecastAndWindowDrift(t *testing.T) {
	endToEnd(t)
	work := t.TempDir()
	now := time.Now().UTC()
	writeFile(t, filepath.Join(work, "rb.yaml"), strings.NewReplacer(
		"%START%", now.Add(-time.Hour).Format(time.RFC3339), "%END%", now.Add(10*time.Minute).Format(time.RFC3339)).Replace(forecastRunbook))
	writeLauncher(t, work)
	tm := termtest.Tmux(t, work, 80, 24)
	tm.Shell("sh launch.sh run rb.yaml --audit runway.db")
	// Not started: the phase would end 30m from now, the whole 1h30m from now.
	// A time on another day than now carries its weekday ("Mon 00:11").
	const clock = `(\w{3} )?\d\d:\d\d`
	tm.WaitFor(`(?m)^! phase (Prep )?ends ~`+clock+` \(on plan\) · window ends `+clock+`, forecast ~`+clock, quick)
	runPhase(tm, "")
	tm.WaitFor(`awaiting|sign`, quick)
	deadline := time.Now().Add(quick)
	for {
		var drifts []string
		for _, e := range readLog(t, filepath.Join(work, "runway.db")) {
			if e.Kind == event.KindDriftWarning {
				drifts = append(drifts, event.Decode[event.DriftPayload](e.Payload).What+" "+e.Phase)
			}
		}
		if len(drifts) == 1 && drifts[0] == "window prep" {
			break
		}
		if len(drifts) > 1 || time.Now().After(deadline) {
			t.Fatalf("drift warnings %v, want one window drift in prep", drifts)
		}
		time.Sleep(100 * time.Millisecond)
	}
	screen := tm.Screen()
	if lines := strings.Split(screen, "\n"); len(lines) < 3 || !strings.HasPrefix(lines[2], "! phase ") {
		t.Errorf("the header's third line is not the marked forecast:\n%s", screen)
	}
}
