package session

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"runway/runbook/fold"
)

// fakeTimers is an injected clock: timers fire only when the test says.
type fakeTimers struct {
	mu    sync.Mutex
	after []time.Duration
	fns   []func()
}

func (c *fakeTimers) AfterFunc(d time.Duration, f func()) func() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.after, c.fns = append(c.after, d), append(c.fns, f)
	return func() bool { return true }
}

func (c *fakeTimers) fire(t *testing.T) {
	t.Helper()
	c.mu.Lock()
	fns := append([]func(){}, c.fns...)
	after := append([]time.Duration{}, c.after...)
	c.mu.Unlock()
	if len(fns) != 1 || after[0] != 10*time.Minute {
		t.Fatalf("timers %v, want one of 10m", after)
	}
	fns[0]() // as the timer would, on this goroutine
}

const notifyEscalate = `version: 1
name: escalated
notify:
  channels:
    chat: {type: webhook, url: "%CHAT%"}
    pager: {type: webhook, url: "%PAGER%"}
  routes:
    - {events: [stop], channels: [chat], after: 10m, escalate: [pager]}
phases:
  - id: one
    title: One
    items:
      - {id: a, title: A, critical: true, command: {run: "false"}}
`

func escalateFixture(t *testing.T) (*fixture, *fakeTimers, *hookServer, *hookServer) {
	chat, pager := newHookServer(t, http.StatusOK, false), newHookServer(t, http.StatusOK, false)
	clock := &fakeTimers{}
	yaml := strings.NewReplacer("%CHAT%", chat.srv.URL, "%PAGER%", pager.srv.URL).Replace(notifyEscalate)
	f := startWith(t, yaml, nil, Options{NotifyAfter: clock.AfterFunc})
	f.do(RunPhase{Phase: "one"})
	f.waitFor("the stop on chat", func(st fold.State) bool { return channelState(st, "chat").Sent == 1 })
	return f, clock, chat, pager
}

func TestEscalationOfAnUnansweredStop(t *testing.T) {
	f, clock, _, pager := escalateFixture(t)
	if notices, _ := pager.got(); len(notices) != 0 {
		t.Fatalf("pager paged before the escalation: %+v", notices)
	}
	clock.fire(t)
	f.waitFor("the stop on pager", func(st fold.State) bool { return channelState(st, "pager").Sent == 1 })
	notices, _ := pager.got()
	if len(notices) != 1 || notices[0].Kind != "stop" || !notices[0].Escalated || !strings.HasPrefix(notices[0].Summary, "unanswered for 10m") {
		t.Errorf("pager got %+v", notices)
	}
	if !f.has("notify.escalated a") {
		t.Errorf("events %v", f.kinds())
	}
}

func TestNoEscalationOnceTheStopIsAnswered(t *testing.T) {
	f, clock, _, pager := escalateFixture(t)
	f.do(Override{Item: "a", Reason: "checked by hand"})
	if f.state().Stop != nil {
		t.Fatal("the override left the stop")
	}
	clock.fire(t)
	f.idle()
	if f.has("notify.escalated a") {
		t.Errorf("escalated an answered stop: %v", f.kinds())
	}
	if notices, _ := pager.got(); len(notices) != 0 {
		t.Errorf("pager got %+v", notices)
	}
}
