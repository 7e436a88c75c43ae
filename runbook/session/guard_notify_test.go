package session

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"runway/checks"
	"runway/runbook"
	"runway/runbook/event"
	"runway/runbook/fold"
)

// A guard's breach and recovery reach the routes that pick them, with the
// breach's own severity; a critical-only route hears only the critical one.
func TestGuardNotifications(t *testing.T) {
	value, site := servedValue(t)
	all := newHookServer(t, http.StatusOK, false)
	crit := newHookServer(t, http.StatusOK, false)
	yaml := fmt.Sprintf(`
version: 1
name: t
notify:
  channels:
    team: {type: webhook, url: "%s"}
    pager: {type: webhook, url: "%s"}
  routes:
    - {events: [guard_breach, guard_recovery], channels: [team]}
    - {events: [guard_breach], severity: critical, channels: [pager]}
guards:
  - {id: lag, title: Lag, http: {url: "%s/lag"}, every: 1s, warn: "> 1", critical: "> 5"}
phases:
  - {id: one, title: One, items: [{id: a, title: A, manual: {}}]}
`, all.srv.URL, crit.srv.URL, site.URL)
	g := &guardFixture{fixture: &fixture{t: t}, tick: make(chan time.Time)}
	g.fixture = startWith(t, yaml, nil, Options{GuardTicker: func(time.Duration) (<-chan time.Time, func()) { return g.tick, func() {} }})
	g.until("first sample", func(fold.State) bool { return g.sess.guards.board.evaluations("lag") > 0 })
	for _, v := range []int64{3, 9, 0} {
		value.Store(v)
		g.evaluate("lag")
	}
	waitNotices(t, all, 3)
	waitNotices(t, crit, 1)
	got, _ := all.got()
	want := []struct{ kind, sev string }{
		{runbook.NoticeGuardBreach, runbook.SeverityWarning},
		{runbook.NoticeGuardBreach, runbook.SeverityCritical},
		{runbook.NoticeGuardRecovery, runbook.SeverityInfo},
	}
	for i, w := range want {
		if got[i].Kind != w.kind || got[i].Severity != w.sev {
			t.Errorf("notice %d = %s/%s, want %s/%s (%s)", i+1, got[i].Kind, got[i].Severity, w.kind, w.sev, got[i].Summary)
		}
	}
	if p, _ := crit.got(); len(p) != 1 || p[0].Severity != runbook.SeverityCritical {
		t.Errorf("pager got %+v", p)
	}
	g.sess.Close(context.Background())
	if p, _ := crit.got(); len(p) != 1 {
		t.Errorf("pager got %d notices, want the critical breach only", len(p))
	}
	if st := g.sess.State(); st.Guard("lag").State != event.GuardOK {
		t.Errorf("lag is %s", st.Guard("lag").State)
	}
}

func waitNotices(t *testing.T, h *hookServer, n int) []checks.Notice {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, _ := h.got()
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d notices after 30s, want %d: %+v", len(got), n, got)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A guard's stop left unanswered escalates as any stop does.
func TestGuardStopEscalates(t *testing.T) {
	value, site := servedValue(t)
	chat, pager := newHookServer(t, http.StatusOK, false), newHookServer(t, http.StatusOK, false)
	clock := &fakeTimers{}
	yaml := fmt.Sprintf(`
version: 1
name: t
notify:
  channels:
    chat: {type: webhook, url: "%s"}
    pager: {type: webhook, url: "%s"}
  routes:
    - {events: [stop], channels: [chat], after: 10m, escalate: [pager]}
guards:
  - {id: lag, title: Lag, http: {url: "%s/lag"}, every: 1s, critical: "> 5"}
phases:
  - {id: one, title: One, items: [{id: a, title: A, manual: {}}]}
`, chat.srv.URL, pager.srv.URL, site.URL)
	g := &guardFixture{fixture: &fixture{t: t}, tick: make(chan time.Time)}
	g.fixture = startWith(t, yaml, nil, Options{NotifyAfter: clock.AfterFunc,
		GuardTicker: func(time.Duration) (<-chan time.Time, func()) { return g.tick, func() {} }})
	g.until("first sample", func(fold.State) bool { return g.sess.guards.board.evaluations("lag") > 0 })
	value.Store(9)
	g.evaluate("lag")
	waitNotices(t, chat, 1)
	if p, _ := pager.got(); len(p) != 0 {
		t.Fatalf("the pager heard of the stop before its time: %+v", p)
	}
	clock.fire(t)
	got := waitNotices(t, pager, 1)
	if got[0].Kind != runbook.NoticeStop || !got[0].Escalated {
		t.Errorf("pager got %+v", got[0])
	}
}

// servedValue is an HTTP site answering with value, which a test sets, for
// guards of kind http to read.
func servedValue(t *testing.T) (*atomic.Int64, *httptest.Server) {
	t.Helper()
	value := new(atomic.Int64)
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, value.Load())
	}))
	t.Cleanup(site.Close)
	return value, site
}
