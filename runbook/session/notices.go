package session

import (
	"time"

	"runway/checks"
	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/event"
)

// noticeOf is the notification an event makes, if any: kind "" for none.
// It reads the event as written (masked), so a notice holds no secret.
func noticeOf(rb *runbook.Runbook, e audit.Event) checks.Notice {
	n := checks.Notice{Session: e.Session, Runbook: rb.Name, Phase: e.Phase, Item: e.Item, Time: e.Time.UTC()}
	if n.Time.IsZero() {
		n.Time = time.Now().UTC()
	}
	switch e.Kind {
	case event.KindStopTriggered:
		n.Kind = runbook.NoticeStop
	case event.KindStopCleared:
		n.Kind, n.Resolved = runbook.NoticeStop, true
	case event.KindItemFailed:
		if !criticalFailure(rb, e) {
			return checks.Notice{}
		}
		n.Kind = runbook.NoticeCriticalFailure
	case event.KindOverrideRequested:
		n.Kind = runbook.NoticeOverrideRequested
	case event.KindPhasePassed:
		n.Kind = runbook.NoticePhasePassed
	case event.KindPhaseHalted:
		n.Kind = runbook.NoticePhaseFailed
	case event.KindRollbackStarted:
		n.Kind = runbook.NoticeRollback
	case event.KindSessionClosed:
		n.Kind = runbook.NoticeSessionClosed
	case event.KindGuardState, event.KindGuardRecovered:
		if n = guardNotice(e, n); n.Kind == "" { // guard_notice.go
			return checks.Notice{}
		}
	case event.KindDriftWarning:
		n.Kind = runbook.NoticeDrift
	default:
		return checks.Notice{}
	}
	n.Severity = runbook.NoticeSeverity(n.Kind)
	if sev := guardSeverity(e); sev != "" {
		n.Severity = sev
	}
	w := event.Describe(e)
	n.Summary = w.What
	if w.Detail != "" {
		n.Summary += ": " + w.Detail
	}
	return n
}

// criticalFailure reports whether a failed item's failure is critical: the
// item is, or its result says so (a compare below critical_below).
func criticalFailure(rb *runbook.Runbook, e audit.Event) bool {
	if event.Decode[event.ResultPayload](e.Payload).Critical {
		return true
	}
	for _, p := range rb.Phases {
		if p.ID != e.Phase {
			continue
		}
		for _, it := range p.Items {
			if it.ID == e.Item {
				return it.Critical
			}
		}
	}
	return false
}

// channelsFor lists, once each, the channels the routes send a notice of
// this kind to.
func channelsFor(n *runbook.Notify, kind, severity string) []string {
	var out []string
	for _, r := range n.Routes {
		if !r.PicksNotice(kind, severity) {
			continue
		}
		for _, c := range r.Channels {
			if !containsName(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

func containsName(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}
