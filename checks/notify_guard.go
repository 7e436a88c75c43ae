package checks

import "runway/runbook"

// guardAlert labels a guard's alert with the guard, so each guard fires
// its own; a recovery resolves the breach's alert (same name, guard and
// severity as the state it left).
func guardAlert(a *alert, n Notice) {
	if n.Guard == "" {
		return
	}
	a.Labels["guard"] = n.Guard
	if n.Kind != runbook.NoticeGuardRecovery {
		return
	}
	a.Labels["alertname"] = "runway_" + runbook.NoticeGuardBreach
	a.Labels["severity"] = runbook.SeverityWarning
	if n.From == "critical" {
		a.Labels["severity"] = runbook.SeverityCritical
	}
}
