package session

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"runway/runbook/event"
	"runway/runbook/fold"
)

// fakeClock is a clock the test moves.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

const driftRunbook = `version: 1
name: drifting
%WINDOW%
drift_tolerance: 20%
notify:
  channels:
    hook: {type: webhook, url: "%HOOK%"}
  routes:
    - {events: [drift], channels: [hook]}
phases:
  - id: one
    title: One
    expected: 10m
    items:
      - {id: look, title: Look, manual: {expect: "fine"}}
`

func driftFixture(t *testing.T, window string, clock *fakeClock) (*fixture, *hookServer) {
	h := newHookServer(t, http.StatusOK, false)
	yaml := strings.NewReplacer("%HOOK%", h.srv.URL, "%WINDOW%", window).Replace(driftRunbook)
	f := startWith(t, yaml, nil, Options{Clock: clock.Now})
	f.do(RunPhase{Phase: "one"}) // waits at the manual item: the phase runs on
	return f, h
}

func drifts(st fold.State) []fold.DriftRecord { return st.Drifts }

func TestDriftPhasePastExpectedWarnsOnceAndNotifies(t *testing.T) {
	clock := &fakeClock{now: time.Now()}
	f, h := driftFixture(t, "", clock)
	started := f.state().Phases[0].Started
	clock.set(started.Add(11 * time.Minute)) // within 10m + 20 %
	if err := f.sess.exec(f.sess.checkDrift); err != nil {
		t.Fatal(err)
	}
	if got := drifts(f.state()); len(got) != 0 {
		t.Fatalf("drift within the tolerance: %+v", got)
	}
	clock.set(started.Add(13 * time.Minute)) // past 12m
	f.waitFor("the drift warning, from the session's own tick", func(st fold.State) bool { return len(st.Drifts) > 0 })
	for range 3 { // later checks do not warn again for the same crossing
		if err := f.sess.exec(f.sess.checkDrift); err != nil {
			t.Fatal(err)
		}
	}
	st := f.state()
	if len(st.Drifts) != 1 || st.Drifts[0].What != event.DriftPhase || st.Drifts[0].Phase != "one" ||
		st.Drifts[0].Expected != (10*time.Minute).Milliseconds() || !st.Drifts[0].Plan.Equal(started.Add(10*time.Minute)) {
		t.Fatalf("drifts = %+v, want one phase drift of one", st.Drifts)
	}
	if st.Stop != nil || st.Phases[0].Status != fold.PhaseRunning {
		t.Errorf("a drift stopped the session: stop %+v, phase %s", st.Stop, st.Phases[0].Status)
	}
	f.waitFor("the drift notice delivered", func(st fold.State) bool { return channelState(st, "hook").Sent == 1 })
	notices, _ := h.got()
	if len(notices) != 1 || notices[0].Kind != "drift" || notices[0].Severity != "warning" || notices[0].Phase != "one" {
		t.Errorf("webhook got %+v", notices)
	}
}

func TestDriftForecastPastTheWindowsEnd(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Minute)
	clock := &fakeClock{now: now}
	// The phase expects 10m; the window ends in 5.
	window := "window: {start: " + now.Add(-time.Hour).Format(time.RFC3339) + ", end: " + now.Add(5*time.Minute).Format(time.RFC3339) + "}"
	f, h := driftFixture(t, window, clock)
	f.waitFor("the window drift", func(st fold.State) bool { return len(st.Drifts) > 0 })
	if err := f.sess.exec(f.sess.checkDrift); err != nil {
		t.Fatal(err)
	}
	st := f.state()
	if len(st.Drifts) != 1 || st.Drifts[0].What != event.DriftWindow || !st.Drifts[0].Plan.Equal(now.Add(5*time.Minute)) ||
		!st.Drifts[0].Forecast.After(st.Drifts[0].Plan) {
		t.Fatalf("drifts = %+v, want one window drift", st.Drifts)
	}
	if st.Stop != nil {
		t.Errorf("a drift stopped the session: %+v", st.Stop)
	}
	f.waitFor("the drift notice delivered", func(st fold.State) bool { return channelState(st, "hook").Sent == 1 })
	if notices, _ := h.got(); len(notices) != 1 || !strings.Contains(notices[0].Summary, "window") {
		t.Errorf("webhook got %+v", notices)
	}
}
