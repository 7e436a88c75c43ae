package forecast

import (
	"fmt"
	"testing"
	"time"

	"runway/runbook"
	"runway/runbook/fold"
)

// t0 is the fixed clock every case starts from.
var t0 = time.Date(2026, 12, 6, 22, 0, 0, 0, time.UTC)

func at(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }

// plan has three phases: prep 30m (its own), copy with items 10m + 20m
// (no phase expected), and switch with nothing said.
const plan = `version: 1
name: t
%s
phases:
  - id: prep
    title: Prep
    expected: 20-30m
    items:
      - {id: a, title: A, manual: {}}
  - id: copy
    title: Copy
    items:
      - {id: c1, title: C1, expected: 10m, manual: {}}
      - {id: c2, title: C2, expected: 20m, manual: {}}
  - id: switch
    title: Switch
    expected: 15m
    items:
      - {id: s, title: S, manual: {}}
`

func load(t *testing.T, window string) *runbook.Runbook {
	t.Helper()
	text := []byte(fmt.Sprintf(plan, window))
	rb, err := runbook.Parse("rb.yaml", text, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rb
}

// state builds a fold state: phases before cur passed, cur started at
// start (zero: not started), items of cur set to the given statuses.
func state(rb *runbook.Runbook, cur int, start time.Time, items ...fold.ItemStatus) *fold.State {
	st := fold.NewState(rb)
	for i := range cur {
		st.Phases[i].Status, st.Phases[i].Started, st.Phases[i].Ended = fold.PhasePassed, at(-60), at(-1)
	}
	st.Current = cur
	if cur < len(st.Phases) {
		st.Phases[cur].Status = fold.PhaseReady
		if !start.IsZero() {
			st.Phases[cur].Status, st.Phases[cur].Started = fold.PhaseRunning, start
		}
		for j, s := range items {
			st.Phases[cur].Items[j].Status = s
			if s == fold.ItemRunning {
				st.Phases[cur].Items[j].Started = start
			}
		}
	}
	return &st
}

func TestForecast(t *testing.T) {
	const window = `window: {start: "2026-12-06 21:00 UTC", end: "2026-12-06 23:00 UTC"}`
	rb, rbw := load(t, ""), load(t, window)
	cases := []struct {
		name                     string
		rb                       *runbook.Runbook
		st                       *fold.State
		etas                     map[string]time.Duration
		now                      time.Time
		phaseEnd, phasePlan, end time.Time
		plan                     time.Time
		engine, done             bool
	}{
		{name: "not started: now plus every phase", rb: rb, st: state(rb, 0, time.Time{}), now: t0,
			phaseEnd: at(30), phasePlan: at(30), end: at(30 + 30 + 15), plan: at(75)},
		{name: "within its expected time: the plan holds", rb: rb, st: state(rb, 0, at(0)), now: at(10),
			phaseEnd: at(30), phasePlan: at(30), end: at(75), plan: at(75)},
		{name: "past its expected time: it ends no sooner than now", rb: rb, st: state(rb, 0, at(0)), now: at(45),
			phaseEnd: at(45), phasePlan: at(30), end: at(45 + 30 + 15), plan: at(75)},
		{name: "items' expected: a running item's rest plus the pending ones", rb: rb,
			st: state(rb, 1, at(0), fold.ItemRunning, fold.ItemPending), now: at(4),
			phaseEnd: at(30), phasePlan: at(30), end: at(45), plan: at(-60 + 75)},
		{name: "an engine's ETA plus the pending items", rb: rb,
			st: state(rb, 1, at(0), fold.ItemRunning, fold.ItemPending), now: at(4),
			etas:     map[string]time.Duration{"c1": 40 * time.Minute},
			phaseEnd: at(4 + 40 + 20), phasePlan: at(30), end: at(64 + 15), plan: at(15), engine: true},
		{name: "window: the plan is its end", rb: rbw, st: state(rbw, 2, at(0)), now: at(50),
			phaseEnd: at(50), phasePlan: at(15), end: at(50), plan: at(60)},
		{name: "before the window opens: the plan starts with it", rb: rbw, st: state(rbw, 0, time.Time{}), now: at(-90),
			phaseEnd: at(-30), phasePlan: at(-30), end: at(15), plan: at(60)},
		{name: "every phase passed", rb: rb, st: state(rb, 3, time.Time{}), now: at(90),
			end: at(-1), plan: at(15), done: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := Of(Input{Runbook: c.rb, State: c.st, ETAs: c.etas, Now: c.now})
			check := func(what string, got, want time.Time) {
				if !got.Equal(want) {
					t.Errorf("%s = %s, want %s", what, got.Format("15:04"), want.Format("15:04"))
				}
			}
			check("phase end", f.PhaseEnd, c.phaseEnd)
			check("phase plan end", f.PhasePlanEnd, c.phasePlan)
			check("end", f.End, c.end)
			check("plan end", f.PlanEnd, c.plan)
			if f.EngineRunning != c.engine || f.Done != c.done {
				t.Errorf("engine %v done %v, want %v %v", f.EngineRunning, f.Done, c.engine, c.done)
			}
		})
	}
}

func TestSlip(t *testing.T) {
	rb := load(t, `window: {start: "2026-12-06 21:00 UTC", end: "2026-12-06 23:00 UTC"}`)
	f := Of(Input{Runbook: rb, State: state(rb, 0, at(0)), Now: at(40)})
	if f.PhaseSlip() != 10*time.Minute {
		t.Errorf("phase slip = %s, want 10m", f.PhaseSlip())
	}
	// 40 + 30 + 15 = 85m from 22:00 is 23:25, window end 23:00.
	if f.Slip() != 25*time.Minute {
		t.Errorf("slip = %s, want 25m", f.Slip())
	}
	if f.Unplanned != 0 {
		t.Errorf("unplanned = %d", f.Unplanned)
	}
}

func TestStateETAs(t *testing.T) {
	rb := load(t, "")
	st := state(rb, 1, at(0), fold.ItemRunning)
	st.Last = at(2)
	st.Phases[1].Items[0].Engine = &fold.EngineState{}
	st.Phases[1].Items[0].Engine.Tables = append(st.Phases[1].Items[0].Engine.Tables,
		progress("a", 5*time.Minute), progress("b", 8*time.Minute))
	got := StateETAs(st, at(3))
	if got["c1"] != 7*time.Minute || len(got) != 1 {
		t.Errorf("ETAs = %v, want c1: 7m (the longest table's, less the minute since)", got)
	}
	st.Phases[1].Items[0].Engine.Paused = true
	if got := StateETAs(st, at(30)); got["c1"] != 8*time.Minute {
		t.Errorf("ETAs while paused = %v, want c1: 8m (no work is done while paused)", got)
	}
}
