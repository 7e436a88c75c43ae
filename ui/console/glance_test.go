package console

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"runway/runbook"
	"runway/runbook/event"
)

// At 80 columns the titles get the room: the status word and the kind
// shrink first (the icon and the detail still say them), and the legend
// for ! is shown at every width.
func TestTitlesGetTheRoomAt80(t *testing.T) {
	for _, sc := range []struct {
		name string
		core func() *fakeCore
	}{{"copying", copying}, {"stopped", stopped}, {"opened", opened}} {
		m := newModel(t, sc.core(), 80, 24)
		if sc.name == "opened" {
			m, _ = press(t, m, "right") // look at the pilot
		}
		v := m.View()
		checkSize(t, v, 80, 24)
		for _, title := range []string{"Pilot merchants see their orders", "Verify pilot orders", "Full migration"} {
			if !strings.Contains(v, title) {
				t.Errorf("%s: %q is cut at 80 columns:\n%s", sc.name, title, v)
			}
		}
		if !strings.Contains(v, "! = critical") {
			t.Errorf("%s: no legend for ! at 80 columns:\n%s", sc.name, v)
		}
	}
}

// eightItems is the orders runbook with eight items in the pilot, the
// first of which failed critically once the banner is wanted.
func eightItems(stop bool) *fakeCore {
	rb := orders()
	ph := &rb.Phases[1]
	for i := len(ph.Items); i < 8; i++ {
		ph.Items = append(ph.Items, runbook.Item{ID: "check-" + itoa(i+1), Title: "Pilot check " + itoa(i+1),
			Spec: runbook.Spec{Command: &runbook.Command{Run: "true"}}})
	}
	f := newFake(rb)
	f.emit("alice", event.KindPhaseStarted, "preparation", "", nil)
	f.emit("alice", event.KindPhasePassed, "preparation", "", nil)
	f.emit("alice", event.KindPhaseStarted, "pilot", "", nil)
	if stop {
		f.emit("alice", event.KindItemFailed, "pilot", "copy-orders", event.ResultPayload{Attempt: 1, Summary: "copy failed", Critical: true})
		f.emit("alice", event.KindStopTriggered, "pilot", "copy-orders", event.StopPayload{Reason: "copy failed", Choices: []string{"retry"}})
	}
	return f
}

// A list that hides rows says so under itself and scrolls: the 8th item
// that the stop banner pushes out of the items pane is announced, and
// moving down brings it into view.
func TestHiddenRowsSaySo(t *testing.T) {
	m := newModel(t, eightItems(false), 80, 24)
	v := m.View()
	if !strings.Contains(v, "Pilot check 8") || strings.Contains(v, "more") {
		t.Fatalf("without the banner all 8 items fit, with no hint:\n%s", v)
	}
	m = newModel(t, eightItems(true), 80, 24)
	v = m.View()
	if !strings.Contains(v, "STOPPED") {
		t.Fatalf("no banner:\n%s", v)
	}
	if strings.Contains(v, "Pilot check 8") || !strings.Contains(v, "↓ 1 more") {
		t.Fatalf("with the banner the 8th item should be hidden and announced:\n%s", v)
	}
	for range 7 {
		m, _ = press(t, m, "down")
	}
	v = m.View()
	if !strings.Contains(v, "›○ Pilot check 8") || !strings.Contains(v, "↑ 1 more") || strings.Contains(v, "↓ 1 more") {
		t.Fatalf("moving down did not scroll to the 8th item and say what is above:\n%s", v)
	}
	checkSize(t, v, 80, 24)
}

// finished: every phase passed, the pilot's verify by an override whose
// reason was "ok", and the preparation's disk check skipped.
func finished() *fakeCore {
	f := prepared()
	f.emit("alice", event.KindPhaseStarted, "pilot", "", nil)
	pass(f, "pilot", "copy-orders", "copied 250,000 rows")
	f.emit("alice", event.KindItemFailed, "pilot", "verify-orders", event.ResultPayload{Attempt: 1, Summary: "3 rows differ", Critical: true})
	f.emit("alice", event.KindItemOverridden, "pilot", "verify-orders", event.OverridePayload{Reason: "ok", Policy: "reason", RequestedBy: "alice"})
	pass(f, "pilot", "smoke", "pass by carol (support)")
	f.emit("alice", event.KindPhasePassed, "pilot", "", nil)
	f.emit("alice", event.KindPhaseStarted, "cutover", "", nil)
	pass(f, "cutover", "catchup", "drained")
	pass(f, "cutover", "switch", "switched")
	f.emit("alice", event.KindPhasePassed, "cutover", "", nil)
	return f
}

// A pass with an override and a skip says so in the header, the phases
// pane and the items pane's title; a clean pass still reads passed.
func TestPassWithOverrideAndSkipSaysSo(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		m := newModel(t, finished(), size[0], size[1])
		m, _ = press(t, m, "left") // the pilot
		v := m.View()
		checkSize(t, v, size[0], size[1])
		head := strings.Split(v, "\n")[0]
		if !strings.Contains(head, "passed with 1 override · 1 skipped") {
			t.Errorf("%dx%d: header %q hides the override and the skip", size[0], size[1], head)
		}
		if got := ansi.Strip(lineWith(t, v, "✓ Pilot")); !strings.Contains(got, "⚑1") {
			t.Errorf("%dx%d: the pilot's row hides its override: %q", size[0], size[1], got)
		}
		if got := ansi.Strip(lineWith(t, v, "✓ Preparation")); !strings.Contains(got, "»1") {
			t.Errorf("%dx%d: the preparation's row hides its skip: %q", size[0], size[1], got)
		}
		if got := ansi.Strip(lineWith(t, v, "✓ Full migration")); strings.ContainsAny(got, "⚑»✗") || strings.Contains(got, "with") {
			t.Errorf("%dx%d: a clean pass reads as more: %q", size[0], size[1], got)
		}
		if got := ansi.Strip(lineWith(t, v, "ITEMS")); !strings.Contains(got, "passed with 1 ove") {
			t.Errorf("%dx%d: the items pane's title hides the pilot's override: %q", size[0], size[1], got)
		}
	}
}

// A paused engine says paused in the header, its phase's and its own row
// and the detail, not running.
func TestPausedSaysPaused(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		f := copying()
		f.emit("alice", event.KindEngineControl, "pilot", "copy-orders", event.ControlPayload{Action: "pause"})
		m := newModel(t, f, size[0], size[1])
		v := m.View()
		checkSize(t, v, size[0], size[1])
		if head := strings.Split(v, "\n")[0]; !strings.Contains(head, "‖ paused (copy-orders)") {
			t.Errorf("%dx%d: header %q does not say paused", size[0], size[1], head)
		}
		row := lineWith(t, v, "Copy pilot orders")
		if !strings.Contains(row, "›‖ Copy pilot orders") || strings.Contains(row, "running") {
			t.Errorf("%dx%d: the item's row does not say paused: %q", size[0], size[1], row)
		}
		if size[0] >= 120 && (!strings.Contains(row, "paused") || !strings.Contains(lineWith(t, v, "‖ Pilot"), "paused")) {
			t.Errorf("%dx%d: the rows do not say paused in words:\n%s", size[0], size[1], v)
		}
		if !strings.Contains(v, "‖ paused · copy") {
			t.Errorf("%dx%d: the detail does not say paused:\n%s", size[0], size[1], v)
		}
		if strings.Contains(v, "running") {
			t.Errorf("%dx%d: something still says running:\n%s", size[0], size[1], v)
		}
	}
}

// The rate dialog says the rate the engine runs with now: a change made
// while it is open shows at once, and "no limit" is not the runbook's rate.
func TestRateDialogShowsTheCurrentRate(t *testing.T) {
	f := copying()
	m := newModel(t, f, 100, 30)
	m, _ = press(t, m, "L")
	if v := m.View(); !strings.Contains(v, "Rate limit now 20,000 rows/s") {
		t.Fatalf("rate dialog:\n%s", v)
	}
	f.emit("bob", event.KindEngineControl, "pilot", "copy-orders", event.ControlPayload{Action: "rate", Rate: 25000})
	m = refresh(m, f)
	if v := m.View(); !strings.Contains(v, "Rate limit now 25,000 rows/s") {
		t.Fatalf("the open rate dialog kept a stale rate:\n%s", v)
	}
	m, _ = press(t, m, "esc")
	f.emit("alice", event.KindEngineControl, "pilot", "copy-orders", event.ControlPayload{Action: "rate", Rate: 0})
	m = refresh(m, f)
	m, _ = press(t, m, "L")
	v := m.View()
	if !strings.Contains(v, "No rate limit now") || strings.Contains(v, "20,000") {
		t.Fatalf("after the limit was removed the dialog shows the runbook's rate:\n%s", v)
	}
	m, _ = press(t, m, "esc")
	if v := m.View(); !strings.Contains(v, "Engine: no rate limit") {
		t.Fatalf("after the limit was removed the detail shows a rate:\n%s", v)
	}
}

// rollingBack: the stopped pilot is rolled back; its first step passed with
// output, the second runs.
func rollingBack() *fakeCore {
	f := stopped()
	f.emit("alice", event.KindRollbackStarted, "", "", event.RollbackPayload{Point: "preparation_complete", Steps: []string{"pilot/unroute", "pilot/truncate"}})
	f.emit("alice", event.KindRollbackStepStart, "pilot", "unroute", event.RollbackStepPayload{Point: "preparation_complete"})
	f.emit("alice", event.KindRollbackStepPassed, "pilot", "unroute", event.RollbackStepPayload{
		Point: "preparation_complete", Summary: "exit 0", Output: "routed 12 pilot merchants to legacy\nlegacy answers 200"})
	f.emit("alice", event.KindRollbackStepStart, "pilot", "truncate", event.RollbackStepPayload{Point: "preparation_complete"})
	return f
}

// Rollback steps and their output show in the detail pane while the
// rollback runs, when it stops short, and after it finished.
func TestRollbackStepsInDetail(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		f := rollingBack()
		m := newModel(t, f, size[0], size[1])
		v := m.View()
		checkSize(t, v, size[0], size[1])
		for _, want := range []string{"Rollback to preparation_complete · running step 2 of 2",
			"✓ passed pilot: Route pilot merchants back", "routed 12 pilot merchants to legacy", "▶ running pilot: Truncate pilot rows"} {
			if !strings.Contains(v, want) {
				t.Errorf("%dx%d: running rollback: no %q in the detail:\n%s", size[0], size[1], want, v)
			}
		}
		f.emit("alice", event.KindRollbackStepFailed, "pilot", "truncate", event.RollbackStepPayload{
			Point: "preparation_complete", Summary: "exit 1", Output: "ERROR 1142: DELETE command denied"})
		f.emit("", event.KindRollbackFinished, "", "", event.RollbackPayload{Point: "preparation_complete", Reason: "rollback step pilot/truncate failed: exit 1"})
		m = refresh(m, f)
		v = m.View()
		for _, want := range []string{"Rollback to preparation_complete · did not finish", "✗ failed pilot: Truncate pilot rows", "ERROR 1142: DELETE command denied"} {
			if !strings.Contains(v, want) {
				t.Errorf("%dx%d: failed rollback: no %q in the detail:\n%s", size[0], size[1], want, v)
			}
		}
	}
	// A rollback that finished is under the items of the phase it undid.
	f := rollingBack()
	f.emit("alice", event.KindRollbackStepPassed, "pilot", "truncate", event.RollbackStepPayload{Point: "preparation_complete", Summary: "250,000 rows deleted"})
	f.emit("alice", event.KindStopCleared, "pilot", "verify-orders", event.StopPayload{Reason: "rolled back"})
	f.emit("alice", event.KindRollbackFinished, "", "", event.RollbackPayload{Point: "preparation_complete", OK: true})
	m := newModel(t, f, 120, 40)
	v := m.View()
	for _, want := range []string{"Rollback to preparation_complete · done at", "250,000 rows deleted", "routed 12 pilot merchants to legacy"} {
		if !strings.Contains(v, want) {
			t.Errorf("finished rollback: no %q in the pilot's detail:\n%s", want, v)
		}
	}
}

// A long stop reason wraps in the banner instead of being cut.
func TestBannerReasonWraps(t *testing.T) {
	reason := "3 of 250,000 rows differ on orders; the differing keys belong to merchants 1017 and 2044, both in the pilot slice"
	f := prepared()
	f.emit("alice", event.KindPhaseStarted, "pilot", "", nil)
	f.emit("alice", event.KindItemFailed, "pilot", "copy-orders", event.ResultPayload{Attempt: 1, Summary: "differ", Critical: true})
	f.emit("alice", event.KindStopTriggered, "pilot", "copy-orders", event.StopPayload{Reason: reason, Choices: []string{"retry"}})
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		m := newModel(t, f, size[0], size[1])
		v := m.View()
		checkSize(t, v, size[0], size[1])
		var banner []string
		for _, l := range strings.Split(v, "\n") {
			if strings.HasPrefix(l, " ■ STOPPED") || len(banner) > 0 && strings.HasPrefix(l, "   ") && !strings.Contains(l, "choices:") {
				banner = append(banner, strings.TrimSpace(l))
				continue
			}
			if len(banner) > 0 {
				break
			}
		}
		if got := strings.Join(banner, " "); !strings.Contains(got, reason) {
			t.Errorf("%dx%d: the banner cuts the reason: %q\n%s", size[0], size[1], got, v)
		}
	}
}

// Risks and procedures can be read in full: a long mitigation is cut in the
// register but whole in the risk's reader, and a long procedure is read
// without opening an incident, scrolled, saying what is out of sight.
func TestRisksAndProceduresReadInFull(t *testing.T) {
	long := "restore last night's backup on the spare host, count the orders per merchant against the legacy side, " +
		"and keep the legacy primary writable until the verify of every pilot table passed twice"
	rb := orders()
	rb.Risks[0].Mitigation = long
	var steps []string
	for i := range 30 {
		steps = append(steps, "step number "+itoa(i+1)+" of the data inconsistency procedure")
	}
	rb.Procedures[0].Steps = steps
	f := newFake(rb)
	m := newModel(t, f, 80, 24)
	m, _ = press(t, m, "i")
	if v := m.View(); strings.Contains(v, "passed twice") {
		t.Fatalf("the register was expected to cut the mitigation at 80 columns:\n%s", v)
	}
	m, _ = press(t, m, "enter")
	v := m.View()
	checkSize(t, v, 80, 24)
	var text []string
	for _, l := range strings.Split(v, "\n") {
		text = append(text, strings.Trim(l, "│ "))
	}
	if got := strings.Join(text, " "); !strings.Contains(got, long) {
		t.Fatalf("the risk's reader does not show the whole mitigation:\n%s", v)
	}
	m, _ = press(t, m, "esc", "esc", "e", "v")
	v = m.View()
	checkSize(t, v, 80, 24)
	if !strings.Contains(v, "1. step number 1 ") || !strings.Contains(v, "more") || strings.Contains(v, "30. step") {
		t.Fatalf("the procedure's reader does not show its start and what is out of sight:\n%s", v)
	}
	for range 40 {
		m, _ = press(t, m, "down")
	}
	if v = m.View(); !strings.Contains(v, "30. step number 30 ") || !strings.Contains(v, "↑") {
		t.Fatalf("the procedure's reader does not scroll to its end:\n%s", v)
	}
	for _, a := range f.actions {
		t.Errorf("reading a procedure did %T", a)
	}
}

// pausedCopy: the pilot's copy is paused.
func pausedCopy() *fakeCore {
	f := copying()
	f.emit("alice", event.KindEngineControl, "pilot", "copy-orders", event.ControlPayload{Action: "pause"})
	return f
}

// TestGlanceGolden draws the states this file is about at 80×24 and
// 120×40 without colour. Update with `go test -run TestGlanceGolden -update`.
func TestGlanceGolden(t *testing.T) {
	scenes := []struct {
		name string
		core func() *fakeCore
		keys []string
	}{
		{"finished", finished, []string{"left"}},
		{"paused", pausedCopy, nil},
		{"rollingback", rollingBack, nil},
		{"hidden", func() *fakeCore { return eightItems(true) }, nil},
	}
	for _, sc := range scenes {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			t.Run(sc.name+"_"+itoa(size[0])+"x"+itoa(size[1]), func(t *testing.T) {
				m, _ := press(t, newModel(t, sc.core(), size[0], size[1]), sc.keys...)
				view := m.View()
				checkSize(t, view, size[0], size[1])
				golden.RequireEqual(t, []byte(view))
			})
		}
	}
}
