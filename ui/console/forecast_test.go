package console

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"runway/runbook"
	"runway/runbook/event"
)

// planned is orders with expected times and a window: the pilot expects
// 30m (its items 20m, 10m and 5m), the cut-over 4h, the window ends 13:00.
func planned() *runbook.Runbook {
	rb := orders()
	exp := func(d time.Duration) runbook.Expected {
		return runbook.Expected{Min: runbook.Duration(d), Max: runbook.Duration(d), Text: runbook.Duration(d).String()}
	}
	rb.Phases[0].Expected = exp(15 * time.Minute)
	rb.Phases[1].Expected = exp(30 * time.Minute)
	for i, d := range []time.Duration{20 * time.Minute, 10 * time.Minute, 5 * time.Minute} {
		rb.Phases[1].Items[i].Expected = exp(d)
	}
	rb.Phases[2].Expected = exp(4 * time.Hour)
	rb.Plan = runbook.Plan{Tolerance: 0.25, Window: &runbook.Window{Start: t0, End: t0.Add(4 * time.Hour)}}
	return rb
}

// plannedCopy is the copying scene on the planned runbook: the pilot's copy
// reports an ETA of 54s at 09:47, the verify and the sign-off still pending.
func plannedCopy() *fakeCore {
	f := copying()
	f.rb = planned()
	return f
}

func TestForecastHeader(t *testing.T) {
	m := newModel(t, plannedCopy(), 80, 24)
	lines := strings.Split(m.View(), "\n")
	// 09:47:12 + 54s + 10m + 5m = 10:03; the pilot started 09:00:08 and
	// expects 30m: 09:30, 33m late. Then 4h: 14:03, past the window's 13:00.
	// Late: marked with "!" as well as the warning colour.
	want := "! phase ends ~10:03 (plan 09:30, +33m) · window ends 13:00, forecast ~14:03"
	if got := strings.TrimRight(lines[2], " "); got != want {
		t.Errorf("header's plan line at 80 columns:\n got %q\nwant %q", got, want)
	}
	golden.RequireEqual(t, []byte(m.View()))
}

// TestForecastHeaderNarrows: each width gets the longest form that fits.
func TestForecastHeaderNarrows(t *testing.T) {
	wants := map[int]string{
		120: "! phase Pilot ends ~10:03 (plan 09:30, +33m) · window ends 13:00, forecast ~14:03 (+1h3m)",
		82:  "! phase Pilot ends ~10:03 (plan 09:30, +33m) · window ends 13:00, forecast ~14:03",
		80:  "! phase ends ~10:03 (plan 09:30, +33m) · window ends 13:00, forecast ~14:03",
		70:  "! phase ends ~10:03 (+33m) · window 13:00, forecast ~14:03",
		44:  "! phase ~10:03 (+33m) · window 13:00 ~14:03",
		40:  "! phase ~10:03 (+33m)",
		12:  "! phase ~10…",
	}
	for w, want := range wants {
		m := newModel(t, plannedCopy(), w, 24)
		got, ok := m.planLine()
		if !ok || got != want || ansi.StringWidth(got) > w {
			t.Errorf("at %d columns: %q, want %q", w, got, want)
		}
	}
}

// TestForecastOnPlan: ahead of the plan, no mark, and the slip says so;
// while the copy reports its ETA, the pilot's own 90m gives way to it.
func TestForecastOnPlan(t *testing.T) {
	f := plannedCopy()
	f.rb.Phases[1].Expected.Max = runbook.Duration(90 * time.Minute)
	f.rb.Plan.Window.End = t0.Add(8 * time.Hour)
	m := newModel(t, f, 120, 40)
	want := "phase Pilot ends ~10:03 (plan 10:30, -27m) · window ends 17:00, forecast ~14:03 (-2h57m)"
	if got, _ := m.planLine(); got != want {
		t.Errorf("plan line %q, want %q", got, want)
	}
}

// TestDriftOnTheStatusLine: a drift warning recorded in the current
// phase's run is on the status line until something else is said.
func TestDriftOnTheStatusLine(t *testing.T) {
	f := plannedCopy()
	m := newModel(t, f, 80, 24)
	if line := m.driftLine(); line != "" {
		t.Fatalf("drift line before any drift: %q", line)
	}
	f.emit("alice", event.KindDriftWarning, "pilot", "", event.DriftPayload{What: event.DriftWindow,
		Plan: t0.Add(4 * time.Hour), Forecast: t0.Add(5*time.Hour + 3*time.Minute)})
	m = refresh(m, f)
	lines := strings.Split(m.View(), "\n")
	want := "! drift: window · ends 13:00 UTC, forecast 14:03 UTC (+1h3m)"
	if got := strings.TrimRight(lines[22], " "); got != want {
		t.Errorf("status line %q, want %q", got, want)
	}
}

// TestNoPlanNoLine: a runbook that says nothing of time keeps its two lines.
func TestNoPlanNoLine(t *testing.T) {
	m := newModel(t, copying(), 80, 24)
	if line, ok := m.planLine(); ok {
		t.Errorf("plan line without a plan: %q", line)
	}
}

// A forecast on another day names the day, never "+14d" (read at 2 a.m. as
// a slip of fourteen days).
func TestPlanTimesNameTheirDay(t *testing.T) {
	now := time.Date(2027, 3, 6, 23, 30, 0, 0, time.Local) // a Saturday
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{now.Add(20 * time.Minute), "23:50"},
		{now.Add(5*time.Hour + 30*time.Minute), "Sun 05:00"},
		{now.Add(-24 * time.Hour), "Fri 23:30"},
		{now.Add(14 * 24 * time.Hour), "20 Mar 23:30"},
	} {
		if got := hhmm(c.at, now); got != c.want {
			t.Errorf("hhmm(%s) = %q, want %q", c.at, got, c.want)
		}
	}
}

// A window already over says it ended, not that it ends.
func TestForecastWindowOver(t *testing.T) {
	f := plannedCopy()
	f.rb.Plan.Window = &runbook.Window{Start: t0.Add(-4 * time.Hour), End: t0.Add(-time.Hour)}
	m := newModel(t, f, 120, 40)
	line := strings.Split(m.View(), "\n")[2]
	if !strings.Contains(line, "window ended 08:00") {
		t.Errorf("plan line %q", line)
	}
}
