package session

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"runway/runbook"
	"runway/runbook/event"
	"runway/runbook/fold"
)

// A guard flapping ok/warn every sample reaches the team at most
// guardNoticeBurst times an interval; the rest is held, and when the
// interval ends only the latest goes, saying how many it stands for. The
// audit log still has every change.
func TestGuardFlappingDoesNotStormNotifications(t *testing.T) {
	value, site := servedValue(t)
	team := newHookServer(t, http.StatusOK, false)
	timers := &fakeTimers{}
	at := time.Date(2026, 3, 6, 22, 0, 0, 0, time.UTC)
	yaml := fmt.Sprintf(`
version: 1
name: t
notify:
  channels:
    team: {type: webhook, url: "%s"}
  routes:
    - {events: [guard_breach, guard_recovery], channels: [team]}
guards:
  - {id: flap, title: Flap, http: {url: "%s/v"}, every: 1s, warn: "> 1"}
phases:
  - {id: one, title: One, items: [{id: a, title: A, manual: {}}]}
`, team.srv.URL, site.URL)
	g := &guardFixture{fixture: &fixture{t: t}, tick: make(chan time.Time)}
	g.fixture = startWith(t, yaml, nil, Options{NotifyAfter: timers.AfterFunc, Clock: func() time.Time { return at },
		GuardTicker: func(time.Duration) (<-chan time.Time, func()) { return g.tick, func() {} }})
	g.until("first sample", func(fold.State) bool { return g.sess.guards.board.evaluations("flap") > 0 })
	for i := 0; i < 10; i++ {
		value.Store(int64(3 * ((i + 1) % 2))) // 3, 0, 3, 0, …: ten changes
		g.evaluate("flap")
	}
	g.until("ten changes", func(st fold.State) bool { return len(st.Guard("flap").Changes) >= 10 })
	waitNotices(t, team, guardNoticeBurst)
	timers.mu.Lock()
	fns, after := append([]func(){}, timers.fns...), append([]time.Duration{}, timers.after...)
	timers.mu.Unlock()
	if len(fns) != 1 || after[0] != guardNoticeInterval {
		t.Fatalf("release timers %v, want one of %s", after, guardNoticeInterval)
	}
	if got, _ := team.got(); len(got) != guardNoticeBurst {
		t.Fatalf("%d notices before the interval ended, want %d", len(got), guardNoticeBurst)
	}
	fns[0]() // the interval ends
	got := waitNotices(t, team, guardNoticeBurst+1)
	last := got[len(got)-1]
	if last.Kind != runbook.NoticeGuardRecovery || !strings.Contains(last.Summary, "the latest of 6 changes held back") {
		t.Errorf("released notice %s: %q", last.Kind, last.Summary)
	}
	for i := 0; i < 2; i++ { // it goes on flapping: held until the next interval ends
		value.Store(int64(3 * ((i + 1) % 2)))
		g.evaluate("flap")
	}
	g.until("twelve changes", func(st fold.State) bool { return len(st.Guard("flap").Changes) >= 12 })
	if got, _ := team.got(); len(got) != guardNoticeBurst+1 {
		t.Errorf("%d notices while it flaps on, want %d", len(got), guardNoticeBurst+1)
	}
	g.sess.Close(context.Background()) // what is held goes with the session's last notices
	if got, _ := team.got(); len(got) != guardNoticeBurst+2 {
		t.Errorf("%d notices in all, want %d", len(got), guardNoticeBurst+2)
	}
	changes := 0
	for _, e := range g.events() {
		if e.Kind == event.KindGuardState || e.Kind == event.KindGuardRecovered {
			changes++
		}
	}
	if changes != 12 {
		t.Errorf("%d guard changes in the log, want 12", changes)
	}
}
