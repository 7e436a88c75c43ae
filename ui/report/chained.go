package report

import (
	"encoding/json"

	"runway/runbook/audit"
	"runway/runbook/event"
	"runway/runbook/fold"
)

// chainedFacts is what a session's hash-chained events say about who ran it
// and how it ended. The sessions table is outside the chain, so where the
// two could differ the report and the listing show the events' word.
type chainedFacts struct {
	opened         bool
	operator, host string
	closedLast     bool   // the last event is session.closed
	status         string // its status
	outcome        string // what its pass hid: "1 override · 2 skipped"
	reason         string // and its reason, if any
}

// add takes in one of the session's events, in seq order.
func (f *chainedFacts) add(e audit.Event) {
	f.closedLast = false
	switch e.Kind {
	case event.KindSessionOpened:
		var p audit.OpenedPayload
		if json.Unmarshal(e.Payload, &p) == nil {
			f.opened, f.operator, f.host = true, p.Operator, p.Host
		}
	case event.KindSessionClosed:
		var p event.ClosedPayload
		if json.Unmarshal(e.Payload, &p) == nil && p.Status != "" {
			f.closedLast, f.status, f.outcome, f.reason = true, p.Status, p.Outcome, p.Reason
			if p.Outcome == "" && p.Warnings > 0 { // a log written before outcomes were recorded
				f.outcome = fold.Outcome{Warnings: p.Warnings}.String()
			}
		}
	}
}

// apply overrides the sessions row's operator, host and status with what
// the events establish. A session whose last event is not session.closed
// is running (or its process died without closing): the executor writes no
// other status for it.
func (f chainedFacts) apply(operator, host, status *string) {
	if !f.opened {
		return // no session.opened to go by: the row is all there is
	}
	*operator, *host = f.operator, f.host
	*status = "running"
	if f.closedLast {
		*status = f.status
	}
}
