package event

import (
	"fmt"
	"time"

	"runway/runbook/audit"
	"runway/runbook/text"
)

// KindDriftWarning: a phase ran past its expected time by the runbook's
// tolerance, or the forecast end passed the window's end. A go/no-go input,
// never a stop. DriftPayload.
const KindDriftWarning = "drift.warning"

// What drifted.
const (
	DriftPhase  = "phase"  // the phase overran its expected time by the tolerance
	DriftWindow = "window" // the forecast end passes the window's end
)

// DriftPayload says what drifted, against which plan, and the forecast then.
type DriftPayload struct {
	What     string    `json:"what"`                  // DriftPhase or DriftWindow
	Plan     time.Time `json:"plan"`                  // the planned end (the phase's, or the window's)
	Forecast time.Time `json:"forecast"`              // the forecast end when it was noticed
	Expected int64     `json:"expected_ms,omitempty"` // the phase's expected time
	Elapsed  int64     `json:"elapsed_ms,omitempty"`  // how long the phase had run
}

func driftWords(e audit.Event) Words {
	p := Decode[DriftPayload](e.Payload)
	plan, fc := driftTimes(p.Plan, p.Forecast)
	if p.What == DriftWindow {
		return Words{"drift: window", fmt.Sprintf("ends %s, forecast %s (+%s)", plan, fc, text.Coarse(p.Forecast.Sub(p.Plan)))}
	}
	ms := time.Millisecond
	return Words{"drift: phase " + e.Phase, fmt.Sprintf("running %s of an expected %s; plan %s, forecast %s",
		text.Coarse(time.Duration(p.Elapsed)*ms), text.Coarse(time.Duration(p.Expected)*ms), plan, fc)}
}

// driftTimes writes plan and forecast as times of day in UTC, with their
// dates when they fall on different days: "ends 05:00 UTC, forecast 16:31
// UTC (+14d12h)" reads as the same day to someone paged at 2 a.m.
func driftTimes(plan, forecast time.Time) (string, string) {
	plan, forecast = plan.UTC(), forecast.UTC()
	layout := "15:04 UTC"
	if plan.Format("2006-01-02") != forecast.Format("2006-01-02") {
		layout = "2 Jan 15:04 UTC"
	}
	return plan.Format(layout), forecast.Format(layout)
}
