package forecast

import (
	"time"

	"runway/runbook"
	"runway/runbook/fold"
)

// phase forecasts the current phase's end. A phase that has not started
// starts now, or when the window opens if nothing ran yet. While an engine (or a long check) reports an ETA, the phase
// ends after it and the items still pending at their expected time; else it
// ends at the latest of now, its start plus its expected time, and now plus
// what its items still expect.
func (f *Forecast) phase(in Input, i int) {
	p, ps := in.Runbook.Phases[i], in.State.Phases[i]
	f.Phase, f.PhaseIndex = p.ID, i
	f.PhaseExpected = Expected(p)
	now := in.Now
	if w := in.Runbook.Plan.Window; w != nil && w.Start.After(now) && !anyStarted(in.State) {
		now = w.Start // nothing runs before the window opens
	}
	start := now
	if started(ps) {
		f.PhaseStarted, start = ps.Started, ps.Started
	}
	if f.PhaseExpected > 0 {
		f.PhasePlanEnd = start.Add(f.PhaseExpected)
	}
	eta, pending, itemsLeft := items(p, ps, in.ETAs, now)
	if eta > 0 {
		f.EngineRunning = true
		f.PhaseEnd = now.Add(eta + pending)
		return
	}
	end := now
	if f.PhasePlanEnd.After(end) {
		end = f.PhasePlanEnd
	}
	if e := now.Add(itemsLeft); e.After(end) {
		end = e
	}
	f.PhaseEnd = end
}

// anyStarted reports whether some phase has begun.
func anyStarted(st *fold.State) bool {
	for _, p := range st.Phases {
		if !p.Started.IsZero() {
			return true
		}
	}
	return false
}

// started reports whether the phase has begun and not been rolled back.
func started(ps fold.PhaseState) bool {
	return !ps.Started.IsZero() && (ps.Status == fold.PhaseRunning || ps.Status == fold.PhaseHalted)
}

// items reads the phase's items: the longest ETA of those running with one,
// the expected time of those pending, and what every unsettled item still
// expects (a running one: its expected less what it has run, at least 0).
func items(p runbook.Phase, ps fold.PhaseState, etas map[string]time.Duration, now time.Time) (eta, pending, left time.Duration) {
	for j, it := range p.Items {
		if j >= len(ps.Items) {
			break
		}
		is, exp := ps.Items[j], it.Expected.Max.D()
		switch is.Status {
		case fold.ItemPending, fold.ItemInterrupted:
			pending += exp
			left += exp
		case fold.ItemRunning, fold.ItemAwaiting:
			if e := etas[it.ID]; e > 0 {
				eta = max(eta, e)
				continue
			}
			if !is.Started.IsZero() {
				exp -= now.Sub(is.Started)
			}
			left += max(exp, 0)
			pending += max(exp, 0)
		}
	}
	return eta, pending, left
}

// StateETAs reads the running items' ETAs from the last engine progress
// events in the fold (the longest table's, counted from the state's last
// event; a paused engine's stays whole, since no work is done while it
// waits): what a watcher or a replay has when it has no live board.
func StateETAs(st *fold.State, now time.Time) map[string]time.Duration {
	out := map[string]time.Duration{}
	for _, ps := range st.Phases {
		for _, is := range ps.Items {
			if is.Status != fold.ItemRunning || is.Engine == nil {
				continue
			}
			var eta time.Duration
			for _, t := range is.Engine.Tables {
				eta = max(eta, time.Duration(t.ETAms)*time.Millisecond)
			}
			if !is.Engine.Paused {
				eta -= now.Sub(st.Last)
			}
			if eta > 0 {
				out[is.ID] = eta
			}
		}
	}
	return out
}
