package session

import (
	"time"

	"runway/engine"
	"runway/runbook/event"
	"runway/runbook/forecast"
)

// now is the session's clock: Options.Clock in tests, else the wall clock.
// Only the drift check reads it; events keep the audit log's own time.
func (s *Session) now() time.Time {
	if s.opts.Clock != nil {
		return s.opts.Clock()
	}
	return time.Now()
}

// Forecast is the plan against the actual now, from the runbook, the folded
// state and the live board's ETAs.
func (s *Session) Forecast() forecast.Forecast {
	st := s.State()
	return forecast.Of(forecast.Input{Runbook: s.rb, State: &st, ETAs: ItemETAs(s.live.snapshot()), Now: s.now()})
}

// checkDrift records each drift the forecast shows and the log has not
// warned of in this run of the phase. A drift is a warning for the lead's
// go/no-go, never a stop: it changes no status. It runs on the core, on the
// progress tick, so it is evaluated whatever the screen does.
func (s *Session) checkDrift(t *tx) error {
	if s.closing || !plansTime(s) {
		return nil
	}
	in := forecast.Input{Runbook: s.rb, State: t.st(), ETAs: ItemETAs(s.live.snapshot()), Now: s.now()}
	for _, d := range forecast.Drifts(in, forecast.Of(in)) {
		if err := t.emit("", event.KindDriftWarning, d.Phase, "", d.DriftPayload); err != nil {
			return err
		}
	}
	return nil
}

// plansTime reports whether the runbook says anything of time: without
// a window or an expected duration there is nothing to drift from.
func plansTime(s *Session) bool {
	if s.rb.Plan.Window != nil {
		return true
	}
	for _, p := range s.rb.Phases {
		if forecast.Expected(p) > 0 {
			return true
		}
	}
	return false
}

// ItemETAs is each running item's time left, from the live board (see
// Session.Live): its longest table's ETA.
func ItemETAs(live map[string][]engine.Progress) map[string]time.Duration {
	out := make(map[string]time.Duration, len(live))
	for item, tables := range live {
		for _, p := range tables {
			out[item] = max(out[item], p.ETA)
		}
	}
	return out
}

// tickDrift runs the drift check from the core's tick (s.mu held).
func (s *Session) tickDrift() {
	before := s.st.Seq
	_ = s.checkDrift(&tx{s: s}) // a failed append is fatal and already handled
	if s.st.Seq != before {
		s.notify()
	}
}
