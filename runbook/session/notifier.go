package session

import (
	"context"
	"sort"
	"sync"
	"time"

	"runway/checks"
	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/event"
)

// Notification delivery defaults (Options may change them).
const (
	defaultNotifyQueue    = 64
	defaultNotifyAttempts = 5
	defaultNotifyBackoff  = time.Second
	maxNotifyBackoff      = time.Minute
	notifyDrainTime       = 5 * time.Second  // what Close gives queued notices
	notifyAttemptTimeout  = 30 * time.Second // one delivery attempt, as a notify item's default
)

// notifier delivers the runbook's notifications off the core: the core only
// puts a notice in each routed channel's bounded queue (never blocking, the
// oldest dropped when full), and one worker per channel delivers, retries
// with backoff and records every attempt through the core, like any runner.
type notifier struct {
	s        *Session
	queues   map[string]*noticeQueue
	attempts int
	backoff  time.Duration
	ctx      context.Context
	cancel   context.CancelFunc
	workers  sync.WaitGroup
	after    afterFunc
	esc      escalations
	flaps    guardFlaps // notify_flap.go
	clock    func() time.Time
}

// noticeQueue is one channel's bounded queue.
type noticeQueue struct {
	ch      *runbook.Channel
	cap     int
	wake    chan struct{} // 1 slot: something was queued
	mu      sync.Mutex
	items   []checks.Notice
	dropped int  // dropped and not recorded yet
	busy    bool // a notice is being delivered
}

// newNotifier starts a worker per channel; nil when the runbook has none.
func newNotifier(s *Session, o Options) *notifier {
	if s.rb.Notify == nil || len(s.rb.Notify.Channels) == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(s.base)
	n := &notifier{s: s, queues: map[string]*noticeQueue{}, ctx: ctx, cancel: cancel,
		attempts: cmpOr(o.NotifyAttempts, defaultNotifyAttempts), backoff: cmpOr(o.NotifyBackoff, defaultNotifyBackoff),
		after: o.NotifyAfter, esc: escalations{open: map[string]int64{}}, flaps: guardFlaps{guards: map[string]*guardHold{}}, clock: o.Clock}
	if n.after == nil {
		n.after = realAfter
	}
	for i := range s.rb.Notify.Channels {
		ch := &s.rb.Notify.Channels[i]
		q := &noticeQueue{ch: ch, cap: cmpOr(o.NotifyQueue, defaultNotifyQueue), wake: make(chan struct{}, 1)}
		n.queues[ch.Name] = q
		n.workers.Add(1)
		go n.work(q)
	}
	return n
}

func cmpOr[T int | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

// observe queues the notice an event makes on its routed channels. It runs
// on the core after the event is durable, and never blocks.
func (n *notifier) observe(e audit.Event) {
	if n == nil {
		return
	}
	notice := noticeOf(n.s.rb, e)
	n.track(e, notice)
	if notice.Kind == "" || !n.admit(notice) { // notify_flap.go: a flapping guard is held back
		return
	}
	n.enqueue(notice)
}

// enqueue puts notice in the queue of each channel its route picks.
func (n *notifier) enqueue(notice checks.Notice) {
	for _, name := range channelsFor(n.s.rb.Notify, notice.Kind, notice.Severity) {
		if q := n.queues[name]; q != nil {
			q.put(notice)
		}
	}
}

func (q *noticeQueue) put(notice checks.Notice) {
	q.mu.Lock()
	if len(q.items) >= q.cap {
		q.items = q.items[1:]
		q.dropped++
	}
	q.items = append(q.items, notice)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// take is the next notice and the drops not yet recorded; ok is false when
// the queue is empty.
func (q *noticeQueue) take() (notice checks.Notice, dropped int, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	dropped, q.dropped = q.dropped, 0
	if len(q.items) == 0 {
		q.busy = false
		return notice, dropped, false
	}
	notice, q.items = q.items[0], q.items[1:]
	q.busy = true
	return notice, dropped, true
}

func (q *noticeQueue) idle() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items) == 0 && !q.busy && q.dropped == 0
}

// work delivers q's notices until the notifier stops or the log fails.
func (n *notifier) work(q *noticeQueue) {
	defer n.workers.Done()
	for {
		notice, dropped, ok := q.take()
		if dropped > 0 && n.record(event.KindNotifyDropped, event.NotifyPayload{Channel: q.ch.Name, Dropped: dropped}, "", "") != nil {
			return
		}
		if !ok {
			select {
			case <-q.wake:
				continue
			case <-n.ctx.Done():
				return
			}
		}
		if !n.deliver(q.ch, notice) {
			return
		}
	}
}

// deliver tries a notice until it is delivered or the attempts run out,
// recording each attempt; false when the notifier must stop.
func (n *notifier) deliver(ch *runbook.Channel, notice checks.Notice) bool {
	env := checks.Env{Dir: n.s.rb.Dir, Redact: n.s.Redact}
	delay := n.backoff
	for attempt := 1; attempt <= n.attempts; attempt++ {
		ctx, cancel := checks.WithTimeout(n.ctx, notifyAttemptTimeout)
		res := checks.Deliver(ctx, env, ch, notice)
		cancel()
		if n.ctx.Err() != nil {
			return false
		}
		p := event.NotifyPayload{Channel: ch.Name, Notice: notice.Kind, Attempt: attempt, Summary: n.s.Redact(res.Summary)}
		kind := event.KindNotifySent
		if !res.Passed {
			kind, p.Retry = event.KindNotifyFailed, attempt < n.attempts
		}
		if n.record(kind, p, notice.Phase, notice.Item) != nil {
			return false
		}
		if res.Passed || !p.Retry {
			return true
		}
		if !sleepCtx(n.ctx, delay) {
			return false
		}
		delay = min(2*delay, maxNotifyBackoff)
	}
	return true
}

// record appends a notification event through the core.
func (n *notifier) record(kind string, p event.NotifyPayload, phase, item string) error {
	return n.s.exec(func(t *tx) error { return t.emit("", kind, phase, item, p) })
}

// finish gives queued notices until d (or ctx) to be delivered, then stops
// the workers. The core must still run: the workers record through it.
func (n *notifier) finish(ctx context.Context, d time.Duration) {
	if n == nil {
		return
	}
	n.flushHeld(true)
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !n.idle() {
		select {
		case <-tick.C:
		case <-deadline.C:
			n.stop()
			return
		case <-ctx.Done():
			n.stop()
			return
		}
	}
	n.stop()
}

func (n *notifier) idle() bool {
	for _, q := range n.queues {
		if !q.idle() {
			return false
		}
	}
	return true
}

func (n *notifier) stop() {
	n.stopTimers()
	n.cancel()
	n.workers.Wait()
	n.recordUndelivered()
}

// recordUndelivered records, per channel, the notices the session closed
// on: queued, in the middle of an attempt or waiting to retry. Every
// notice is in the log as sent, failed or dropped, never just gone.
func (n *notifier) recordUndelivered() {
	names := make([]string, 0, len(n.queues))
	for name := range n.queues {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		q := n.queues[name]
		q.mu.Lock()
		lost := len(q.items) + q.dropped
		if q.busy {
			lost++
		}
		q.items, q.dropped, q.busy = nil, 0, false
		q.mu.Unlock()
		if lost == 0 {
			continue
		}
		p := event.NotifyPayload{Channel: name, Dropped: lost, Summary: "the session closed before they were delivered"}
		if n.record(event.KindNotifyDropped, p, "", "") != nil {
			return
		}
	}
}

// abandon stops delivering without waiting: the log failed, nothing more
// can be recorded.
func (n *notifier) abandon() {
	if n != nil {
		n.flushHeld(false) // the log failed: nothing more is delivered
		n.stopTimers()
		n.cancel()
	}
}
