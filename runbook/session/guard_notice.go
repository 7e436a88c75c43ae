package session

import (
	"runway/checks"
	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/event"
)

// guardNotice is n as a guard's change of state makes it: guard_breach for
// warn, critical and a check failing, guard_recovery (resolving the
// breach's alert) for a return to ok; Kind "" for none.
func guardNotice(e audit.Event, n checks.Notice) checks.Notice {
	p := event.Decode[event.GuardPayload](e.Payload)
	n.Guard = p.Guard
	switch {
	case e.Kind == event.KindGuardRecovered:
		n.Kind, n.Resolved, n.From = runbook.NoticeGuardRecovery, true, p.From
	case p.State == event.GuardWarn, p.State == event.GuardCritical, p.State == event.GuardError:
		n.Kind = runbook.NoticeGuardBreach
	}
	return n
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
