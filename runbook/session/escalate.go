package session

import (
	"fmt"
	"sync"
	"time"

	"runway/checks"
	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/event"
)

// Escalation: a stop or an override request still unanswered a route's
// after: later goes to its escalate: channels too. The timers only knock on
// the core; whether it is still unanswered is decided there, from the events.

// afterFunc runs f once d has passed, on a goroutine of its own; stop
// cancels it. Options.NotifyAfter replaces time.AfterFunc in tests.
type afterFunc func(d time.Duration, f func()) (stop func() bool)

func realAfter(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }

// escalations is the notifier's core-owned record of what is unanswered.
type escalations struct {
	open   map[string]int64 // core-owned: notice kind → seq of the event still unanswered
	mu     sync.Mutex       // guards timers
	timers []func() bool
}

// track notes what an event opens or answers, and starts the timers of
// the routes that escalate it. It runs on the core.
func (n *notifier) track(e audit.Event, notice checks.Notice) {
	switch e.Kind {
	case event.KindStopCleared:
		delete(n.esc.open, runbook.NoticeStop)
		return
	case event.KindOverrideApproved, event.KindOverrideRejected, event.KindItemOverridden:
		delete(n.esc.open, runbook.NoticeOverrideRequested)
		return
	case event.KindStopTriggered, event.KindOverrideRequested:
	default:
		return
	}
	n.esc.open[notice.Kind] = e.Seq
	for _, r := range n.s.rb.Notify.Routes {
		if r.After <= 0 || len(r.Escalate) == 0 || !r.Picks(notice.Kind) {
			continue
		}
		r, seq := r, e.Seq
		stop := n.after(r.After.D(), func() {
			_ = n.s.exec(func(t *tx) error { return n.escalate(t, r, seq, notice) })
		})
		n.esc.mu.Lock()
		n.esc.timers = append(n.esc.timers, stop)
		n.esc.mu.Unlock()
	}
}

// escalate sends notice to the route's escalate channels if the event seq
// is still unanswered, recording that it did. It runs on the core.
func (n *notifier) escalate(t *tx, r runbook.Route, seq int64, notice checks.Notice) error {
	if n.esc.open[notice.Kind] != seq || n.ctx.Err() != nil {
		return nil // answered meanwhile, or the session is ending
	}
	notice.Escalated = true
	notice.Summary = fmt.Sprintf("unanswered for %s: %s", r.After, notice.Summary)
	for _, name := range r.Escalate {
		if err := t.emit("", event.KindNotifyEscalated, notice.Phase, notice.Item,
			event.NotifyPayload{Channel: name, Notice: notice.Kind, Summary: notice.Summary}); err != nil {
			return err
		}
		if q := n.queues[name]; q != nil {
			q.put(notice)
		}
	}
	return nil
}

// stopTimers cancels the escalations not yet due.
func (n *notifier) stopTimers() {
	n.esc.mu.Lock()
	defer n.esc.mu.Unlock()
	for _, stop := range n.esc.timers {
		stop()
	}
	n.esc.timers = nil
}
