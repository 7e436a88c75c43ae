package session

import (
	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/event"
)

// guardNotice is the notification a guard's change of state makes:
// guard_breach for warn, critical and a check failing, guard_recovery for
// a return to ok.
func guardNotice(e audit.Event) string {
	p := event.Decode[event.GuardPayload](e.Payload)
	switch {
	case e.Kind == event.KindGuardRecovered:
		return runbook.NoticeGuardRecovery
	case p.State == event.GuardWarn, p.State == event.GuardCritical, p.State == event.GuardError:
		return runbook.NoticeGuardBreach
	}
	return ""
}

// guardSeverity is a guard breach's own severity: critical for a critical
// one; "" for any other event (its kind's severity applies).
func guardSeverity(e audit.Event) string {
	if e.Kind != event.KindGuardState {
		return ""
	}
	if event.Decode[event.GuardPayload](e.Payload).State == event.GuardCritical {
		return runbook.SeverityCritical
	}
	return runbook.SeverityWarning
}
