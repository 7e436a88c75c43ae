package session

import (
	"fmt"
	"sync"
	"time"

	"runway/checks"
	"runway/runbook"
)

// A guard that flaps must not page the team every second. Within each
// guardNoticeInterval, a guard's first guardNoticeBurst notices go out at
// once (a breach, a worse breach, the recovery); later ones are held, and
// when the interval ends only the latest goes, saying how many changes it
// stands for, as Alertmanager's group_interval does. A notice worse than
// any sent in the interval (warn → critical) always goes at once: news.
// Every change of state is still an event in the audit log.
const (
	guardNoticeInterval = time.Minute
	guardNoticeBurst    = 4
)

// guardFlaps holds back each guard's notices. admit runs on the core, the
// release timer on a goroutine of its own.
type guardFlaps struct {
	mu     sync.Mutex
	guards map[string]*guardHold
}

type guardHold struct {
	since   time.Time      // the current interval's start
	sent    int            // notices sent in it
	peak    int            // the worst sent in it: 0 recovery, 1 warning, 2 critical
	pending *checks.Notice // the latest held back, or nil
	held    int            // how many were held back since the last sent
	worst   int            // the worst held back in it
	stop    func() bool    // the release timer, while something is held
}

// admit says whether a guard's notice goes out now; when not, it is held
// as its guard's latest and sent when the interval ends.
func (n *notifier) admit(notice checks.Notice) bool {
	if notice.Guard == "" {
		return true
	}
	f := &n.flaps
	f.mu.Lock()
	defer f.mu.Unlock()
	now := n.now()
	h := f.guards[notice.Guard]
	if h == nil || (h.pending == nil && now.Sub(h.since) >= guardNoticeInterval) {
		h = &guardHold{since: now, peak: -1}
		f.guards[notice.Guard] = h
	}
	lvl := noticeLevel(notice)
	if lvl > h.peak || (h.pending == nil && h.sent < guardNoticeBurst) {
		if h.stop != nil { // what was held is older than this: it goes no more
			h.stop()
		}
		h.sent, h.peak, h.pending, h.held, h.stop = h.sent+1, max(h.peak, lvl), nil, 0, nil
		return true
	}
	h.pending, h.held, h.worst = &notice, h.held+1, max(h.worst, lvl)
	if h.stop == nil {
		id := notice.Guard
		h.stop = n.after(max(h.since.Add(guardNoticeInterval).Sub(now), 0), func() { n.releaseGuard(id) })
	}
	return false
}

// releaseGuard ends a guard's interval: the latest notice held back goes
// out, saying how many it stands for, and a new interval starts with it.
func (n *notifier) releaseGuard(id string) {
	f := &n.flaps
	f.mu.Lock()
	h := f.guards[id]
	if h == nil || h.pending == nil || n.ctx.Err() != nil {
		f.mu.Unlock()
		return
	}
	notice := heldNotice(*h.pending, h.held)
	// A guard that flapped gets no new burst: while it goes on, one notice
	// an interval; once it has been quiet for an interval, it starts afresh.
	f.guards[id] = &guardHold{since: n.now(), sent: guardNoticeBurst, peak: max(h.peak, h.worst)}
	f.mu.Unlock()
	n.enqueue(notice)
}

// flushHeld stops the release timers and, when send is set, sends every
// notice still held back at once (the session is closing: they go with
// the queued ones).
func (n *notifier) flushHeld(send bool) {
	f := &n.flaps
	f.mu.Lock()
	var out []checks.Notice
	for _, h := range f.guards {
		if h.stop != nil {
			h.stop()
			h.stop = nil
		}
		if h.pending != nil && send {
			out = append(out, heldNotice(*h.pending, h.held))
		}
		h.pending, h.held = nil, 0
	}
	f.mu.Unlock()
	for _, notice := range out {
		n.enqueue(notice)
	}
}

func heldNotice(notice checks.Notice, held int) checks.Notice {
	if held > 1 {
		notice.Summary += fmt.Sprintf(" (the latest of %d changes held back, at most %d notices a guard every %s)",
			held, guardNoticeBurst, runbook.Duration(guardNoticeInterval))
	}
	return notice
}

func noticeLevel(n checks.Notice) int {
	switch {
	case n.Kind == runbook.NoticeGuardRecovery:
		return 0
	case n.Severity == runbook.SeverityCritical:
		return 2
	}
	return 1
}

// now is Options.Clock's time, or the real one.
func (n *notifier) now() time.Time {
	if n.clock != nil {
		return n.clock()
	}
	return time.Now()
}
