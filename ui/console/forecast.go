package console

import (
	"encoding/json"
	"strconv"
	"time"

	"runway/runbook/audit"
	"runway/runbook/event"
	"runway/runbook/forecast"
	"runway/runbook/session"
	"runway/runbook/text"
	"runway/ui/inert"

	"github.com/charmbracelet/x/ansi"
)

// forecast is the plan against the actual as of the console's clock: the
// live board's ETAs when there is one (the lead's console), else the last
// ones the log holds (watch, replay: then it is the forecast as it stood at
// the replay's cursor).
func (m Model) forecast() forecast.Forecast {
	etas := session.ItemETAs(m.live)
	if len(etas) == 0 {
		etas = forecast.StateETAs(&m.st, m.clock)
	}
	return forecast.Of(forecast.Input{Runbook: m.rb, State: &m.st, ETAs: etas, Now: m.clock})
}

// planLine is the header's third line, "phase Pilot ends ~02:40 (plan 02:30,
// +10m) · window ends 05:00, forecast 04:45 (-15m)", in the longest form
// that fits; ok is false when the runbook plans no time (no line at all).
func (m Model) planLine() (string, bool) {
	if m.rb == nil || m.clock.IsZero() {
		return "", false
	}
	f := m.forecast()
	if !f.Known() {
		return "", false
	}
	sty, mark := m.sty.Muted, ""
	if late(f, m.rb.Plan.Tolerance) {
		sty, mark = m.sty.Warn, "! " // drift: not by colour alone
	}
	forms := planForms(f, m.phaseTitle(f), m.clock)
	for _, line := range forms {
		if ansi.StringWidth(mark+line) <= m.width {
			return sty.Render(mark + line), true
		}
	}
	return sty.Render(cut(mark+forms[len(forms)-1], m.width)), true
}

// driftLine is the latest drift warning of the current phase's run, for
// the status line when it has nothing else to say: "" when there is none.
func (m Model) driftLine() string {
	if len(m.st.Drifts) == 0 || m.st.Current < 0 || m.st.Current >= len(m.st.Phases) {
		return ""
	}
	ph := m.st.Phases[m.st.Current]
	d := m.st.Drifts[len(m.st.Drifts)-1]
	if d.Phase != ph.ID || d.At.Before(ph.Started) {
		return ""
	}
	raw, _ := json.Marshal(d.DriftPayload)
	w := event.Describe(audit.Event{Kind: event.KindDriftWarning, Phase: d.Phase, Payload: raw})
	return m.sty.Warn.Render(cut("! "+inert.OneLine(w.What+" · "+w.Detail), m.width))
}

// late reports whether the forecast shows a drift: the phase past its plan
// by the tolerance, or the end past the window's.
func late(f forecast.Forecast, tol float64) bool {
	if f.Window != nil && f.End.After(f.Window.End) {
		return true
	}
	return f.PhaseExpected > 0 && f.PhaseSlip() > time.Duration(float64(f.PhaseExpected)*tol)
}

func (m Model) phaseTitle(f forecast.Forecast) string {
	if f.PhaseIndex < 0 || f.PhaseIndex >= len(m.rb.Phases) {
		return ""
	}
	p := m.rb.Phases[f.PhaseIndex]
	if p.Title != "" {
		return inert.OneLine(p.Title)
	}
	return inert.OneLine(p.ID)
}

// planForms are the line's forms, longest first.
func planForms(f forecast.Forecast, title string, now time.Time) []string {
	if f.Done {
		return []string{
			"all phases passed at " + hhmm(f.End, now) + endPlan(f, now, true),
			"ended " + hhmm(f.End, now) + endPlan(f, now, false),
		}
	}
	named := "phase"
	if title != "" {
		named = "phase " + title
	}
	long, mid, short := phaseForms(f, now)
	ends := endForms(f, now)
	return []string{
		named + " " + long + " · " + ends[0],
		named + " " + long + " · " + ends[1],
		"phase " + long + " · " + ends[1],
		"phase " + mid + " · " + ends[2],
		"phase " + short + " · " + ends[3],
		"phase " + short,
	}
}

// phaseForms say the current phase's forecast end against its plan.
func phaseForms(f forecast.Forecast, now time.Time) (long, mid, short string) {
	if f.PhasePlanEnd.IsZero() && !f.EngineRunning {
		return "has no expected time", "not planned", "?"
	}
	end := "~" + hhmm(f.PhaseEnd, now)
	if f.PhasePlanEnd.IsZero() {
		return "ends " + end + " (engine ETA)", "ends " + end, end
	}
	slip := signed(f.PhaseSlip())
	long = "ends " + end + " (" + againstPlan(f.PhasePlanEnd, slip, "plan", now) + ")"
	return long, "ends " + end + " (" + slip + ")", end + " (" + slip + ")"
}

// endForms say the whole runbook's forecast end against the window or the
// plan, longest first: with the slip, without it, shorter, shortest.
func endForms(f forecast.Forecast, now time.Time) [4]string {
	end := "~" + hhmm(f.End, now)
	if f.Unplanned > 0 {
		end = "≥" + hhmm(f.End, now) // phases that say nothing of their time count as none
	}
	if f.Window != nil {
		w := hhmm(f.Window.End, now)
		full := "window ends " + w + ", forecast " + end
		return [4]string{full + " (" + signed(f.Slip()) + ")", full, "window " + w + ", forecast " + end, "window " + w + " " + end}
	}
	if f.PlanEnd.IsZero() {
		return [4]string{"all ends " + end, "all ends " + end, "all " + end, end}
	}
	full := "all ends " + end + endPlan(f, now, true)
	return [4]string{full, full, "all " + end + " (" + signed(f.Slip()) + ")", "all " + end}
}

func endPlan(f forecast.Forecast, now time.Time, long bool) string {
	if f.PlanEnd.IsZero() {
		return ""
	}
	if !long {
		return " (" + signed(f.Slip()) + ")"
	}
	what := "plan"
	if f.Window != nil {
		what = "window"
	}
	return " (" + againstPlan(f.PlanEnd, signed(f.Slip()), what, now) + ")"
}

// againstPlan is "plan 02:30, +10m", or just "on plan" when the plan holds.
func againstPlan(plan time.Time, slip, what string, now time.Time) string {
	if slip == onPlan {
		return slip
	}
	return what + " " + hhmm(plan, now) + ", " + slip
}

// hhmm is a time of day in the local zone, with the days it lies after now.
func hhmm(t, now time.Time) string {
	s := t.Local().Format("15:04")
	ty, tm, td := t.Local().Date()
	ny, nm, nd := now.Local().Date()
	days := int(time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC).Sub(time.Date(ny, nm, nd, 0, 0, 0, 0, time.UTC)).Hours() / 24)
	switch {
	case days > 0:
		s += "+" + strconv.Itoa(days) + "d"
	case days < 0:
		s += strconv.Itoa(days) + "d"
	}
	return s
}

// signed is a slip: "+10m" late, "-5m" ahead, "on plan" within a minute.
func signed(d time.Duration) string {
	switch {
	case d >= time.Minute:
		return "+" + text.Coarse(d)
	case d <= -time.Minute:
		return "-" + text.Coarse(-d)
	}
	return onPlan
}

const onPlan = "on plan"
