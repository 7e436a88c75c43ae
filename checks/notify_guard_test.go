package checks

import (
	"testing"
	"time"

	"runway/runbook"
)

// A guard's recovery resolves the alert its breach raised: same name,
// guard and severity, with endsAt.
func TestGuardAlertLabels(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	breach := alertOf(Notice{Kind: runbook.NoticeGuardBreach, Severity: runbook.SeverityCritical, Guard: "lag", Session: "s", Time: at})
	rec := alertOf(Notice{Kind: runbook.NoticeGuardRecovery, Severity: runbook.SeverityInfo, Guard: "lag", Session: "s", From: "critical", Resolved: true, Time: at})
	if breach.Labels["guard"] != "lag" || breach.EndsAt != nil {
		t.Errorf("breach = %+v", breach)
	}
	if len(rec.Labels) != len(breach.Labels) || rec.EndsAt == nil {
		t.Fatalf("recovery = %+v", rec)
	}
	for k, v := range breach.Labels {
		if rec.Labels[k] != v {
			t.Errorf("label %s: recovery %q, breach %q", k, rec.Labels[k], v)
		}
	}
}
