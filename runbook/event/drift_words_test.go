package event

import (
	"encoding/json"
	"testing"
	"time"

	"runway/runbook/audit"
)

// A drift across days says the dates; on one day, the times alone.
func TestDriftWordsNameDatesAcrossDays(t *testing.T) {
	plan := time.Date(2026, 12, 6, 5, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		forecast time.Time
		want     string
	}{
		{plan.Add(20 * time.Minute), "ends 05:00 UTC, forecast 05:20 UTC (+20m)"},
		{plan.Add(14*24*time.Hour + 11*time.Hour), "ends 6 Dec 05:00 UTC, forecast 20 Dec 16:00 UTC (+14d11h)"},
	} {
		raw, _ := json.Marshal(DriftPayload{What: DriftWindow, Plan: plan, Forecast: c.forecast})
		if got := Describe(audit.Event{Kind: KindDriftWarning, Payload: raw}).Detail; got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}
