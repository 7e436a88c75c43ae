// Package forecast holds the plan against the actual: from the runbook's
// expected durations, the times in the folded events and the engines' ETAs,
// when the current phase and the whole runbook will end, against the plan
// and the window. It is a pure function of its inputs, computed when a view
// renders or the executor checks for drift; nothing of it is stored.
package forecast

import (
	"time"

	"runway/runbook"
	"runway/runbook/fold"
)

// Input is everything a forecast reads.
type Input struct {
	Runbook *runbook.Runbook
	State   *fold.State
	// ETAs are the running items' time left by item id, as the engines and
	// long checks report it (the live board, or the last progress events:
	// StateETAs). A missing or zero ETA falls back to the item's expected.
	ETAs map[string]time.Duration
	Now  time.Time
}

// Forecast is the plan against the actual at one moment.
type Forecast struct {
	// Phase is the current phase's id; "" when every phase has passed.
	Phase         string
	PhaseIndex    int
	PhaseStarted  time.Time     // zero while it has not started
	PhaseExpected time.Duration // its expected time (the phase's, else its items' sum); 0 = not said
	PhasePlanEnd  time.Time     // started (or now) + expected; zero when no expected
	PhaseEnd      time.Time     // the forecast end of the current phase
	EngineRunning bool          // an engine's or long check's ETA drives PhaseEnd

	// End is the forecast end of the last phase: the current one's end, then
	// each later phase at its expected time.
	End time.Time
	// PlanEnd is the planned end: the window's end when there is a window,
	// else the first phase's start (or now) plus every phase's expected time.
	PlanEnd time.Time
	Window  *runbook.Window
	// Unplanned counts the phases still to run that say nothing of their
	// time: End is then a lower bound.
	Unplanned int
	Done      bool // every phase passed: End is when the last one did
}

// PhaseSlip is how far the current phase's forecast end is past its plan
// (negative: ahead); 0 without a plan.
func (f Forecast) PhaseSlip() time.Duration {
	if f.PhasePlanEnd.IsZero() || f.PhaseEnd.IsZero() {
		return 0
	}
	return f.PhaseEnd.Sub(f.PhasePlanEnd)
}

// Slip is how far the forecast end is past the plan's end (negative: ahead).
func (f Forecast) Slip() time.Duration {
	if f.PlanEnd.IsZero() || f.End.IsZero() {
		return 0
	}
	return f.End.Sub(f.PlanEnd)
}

// Known reports whether the forecast has anything to go on: a window, or
// an expected time somewhere.
func (f Forecast) Known() bool { return f.Window != nil || !f.PlanEnd.IsZero() }

// Of computes the forecast.
func Of(in Input) Forecast {
	rb, st := in.Runbook, in.State
	f := Forecast{Window: rb.Plan.Window, PhaseIndex: -1}
	if st == nil || len(rb.Phases) == 0 || len(st.Phases) != len(rb.Phases) {
		return f
	}
	f.PlanEnd = planEnd(rb, st, in.Now)
	cur := current(st)
	if cur < 0 {
		f.Done, f.End = true, lastEnd(st)
		return f
	}
	f.phase(in, cur)
	end := f.PhaseEnd
	for i := cur + 1; i < len(rb.Phases); i++ {
		if st.Phases[i].Status == fold.PhasePassed {
			continue
		}
		exp := Expected(rb.Phases[i])
		if exp == 0 {
			f.Unplanned++
		}
		end = end.Add(exp)
	}
	f.End = end
	return f
}

// current is the index of the phase the session is on, or -1 when every
// phase has passed.
func current(st *fold.State) int {
	if st.Current >= 0 && st.Current < len(st.Phases) && st.Phases[st.Current].Status != fold.PhasePassed {
		return st.Current
	}
	for i, p := range st.Phases {
		if p.Status != fold.PhasePassed {
			return i
		}
	}
	return -1
}

func lastEnd(st *fold.State) time.Time {
	var end time.Time
	for _, p := range st.Phases {
		if p.Ended.After(end) {
			end = p.Ended
		}
	}
	return end
}

// planEnd is the window's end, or the first start plus every phase's
// expected time; zero when nothing is planned.
func planEnd(rb *runbook.Runbook, st *fold.State, now time.Time) time.Time {
	if rb.Plan.Window != nil {
		return rb.Plan.Window.End
	}
	var total time.Duration
	for _, p := range rb.Phases {
		total += Expected(p)
	}
	if total == 0 {
		return time.Time{}
	}
	start := now
	if len(st.Phases) > 0 && !st.Phases[0].Started.IsZero() {
		start = st.Phases[0].Started
	}
	return start.Add(total)
}

// Expected is a phase's expected time: its own (the upper bound of a
// range), else the sum of its items' (0 when neither is said).
func Expected(p runbook.Phase) time.Duration {
	if p.Expected.Max > 0 {
		return p.Expected.Max.D()
	}
	var sum time.Duration
	for _, it := range p.Items {
		sum += it.Expected.Max.D()
	}
	return sum
}
