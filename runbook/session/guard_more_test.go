package session

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"runway/runbook/audit"
	"runway/runbook/event"
	"runway/runbook/fold"
)

// A slow check delays its guard's next evaluation: ticks that arrive
// meanwhile never start a second one.
func TestGuardNeverRunsTwiceAtOnce(t *testing.T) {
	var inflight, most atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inflight.Add(1)
		defer inflight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
		fmt.Fprintln(w, "1")
	}))
	defer srv.Close()
	yaml := fmt.Sprintf(`
version: 1
name: t
guards:
  - {id: slow, title: Slow endpoint, http: {url: "%s/health"}, every: 1s, warn: "> 5"}
phases:
  - {id: one, title: One, items: [{id: a, title: A, manual: {}}]}
`, srv.URL)
	dir := t.TempDir()
	g := newGuardFixtureTicks(t, dir, yaml, 5)
	for i := 0; i < 6; i++ {
		select {
		case release <- struct{}{}:
		case <-time.After(30 * time.Second):
			t.Fatalf("evaluation %d never reached the server", i+1)
		}
		g.until(fmt.Sprintf("evaluation %d", i+1), func(fold.State) bool { return g.sess.guards.board.evaluations("slow") > i })
	}
	if m := most.Load(); m != 1 {
		t.Errorf("%d evaluations of one guard ran at once", m)
	}
}

// newGuardFixtureTicks starts a session whose guards find n ticks waiting.
func newGuardFixtureTicks(t *testing.T, dir, yaml string, n int) *guardFixture {
	t.Helper()
	g := &guardFixture{fixture: &fixture{t: t, dir: dir}}
	g.rb = loadRunbook(t, dir, yaml, nil)
	log, err := audit.Open(filepath.Join(dir, "runway.db"))
	if err != nil {
		t.Fatal(err)
	}
	g.log = log
	t.Cleanup(func() { log.Close() })
	ticks := make(chan time.Time, n)
	for range n {
		ticks <- time.Now()
	}
	opts := Options{Operator: "alice", Host: "test", GuardTicker: func(time.Duration) (<-chan time.Time, func()) { return ticks, func() {} }}
	if g.sess, err = Start(context.Background(), log, g.rb, opts); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.sess.Close(context.Background()) })
	return g
}

// A guard's value and errors are masked before they reach the log.
func TestGuardSecretsNeverReachTheLog(t *testing.T) {
	const secret = "gu4rd-s3cret-t0ken"
	yaml := `
version: 1
name: t
guards:
  - {id: echo, title: Echo, command: {run: 'echo "${GUARD_TOKEN}"'}, every: 1s, warn: "!= 0"}
  - {id: site, title: Site, http: {url: "http://127.0.0.1:1/x?token=${GUARD_TOKEN}"}, every: 1s, critical: "!= 1"}
phases:
  - {id: one, title: One, items: [{id: a, title: A, manual: {}}]}
`
	dir := t.TempDir()
	t.Setenv("GUARD_TOKEN", secret)
	g := &guardFixture{fixture: &fixture{t: t, dir: dir}, tick: make(chan time.Time)}
	g.rb = loadRunbook(t, dir, yaml, map[string]string{"GUARD_TOKEN": secret})
	path := filepath.Join(dir, "runway.db")
	log, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	g.log = log
	opts := Options{Operator: "alice", Host: "test", GuardTicker: func(time.Duration) (<-chan time.Time, func()) { return g.tick, func() {} }}
	if g.sess, err = Start(context.Background(), log, g.rb, opts); err != nil {
		t.Fatal(err)
	}
	st := g.until("both guards breached", func(st fold.State) bool {
		return st.Guard("echo").State == event.GuardWarn && st.Guard("site").State == event.GuardCritical
	})
	if v := st.Guard("echo").Value; strings.Contains(v, secret) || v == "" {
		t.Errorf("echo's value %q", v)
	}
	g.sess.Close(context.Background())
	log.Close()
	for _, name := range []string{"runway.db", "runway.db-wal"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("%s holds the guard's secret", name)
		}
	}
}

// A resumed session's guard goes on from the state the log holds: a guard
// critical when the process ended records its recovery after the resume.
func TestGuardResumesFromTheLoggedState(t *testing.T) {
	const yaml = `
version: 1
name: t
guards:
  - {id: level, title: Level, command: {run: "cat level"}, every: 1s, critical: "> 5"}
phases:
  - {id: one, title: One, items: [{id: a, title: A, manual: {}}]}
`
	dir := t.TempDir()
	touchValue := func(v string) {
		if err := os.WriteFile(filepath.Join(dir, "level"), []byte(v+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	touchValue("9")
	g := &guardFixture{fixture: &fixture{t: t, dir: dir}, tick: make(chan time.Time)}
	g.rb = loadRunbook(t, dir, yaml, nil)
	log, err := audit.Open(filepath.Join(dir, "runway.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	g.log = log
	ticker := func(time.Duration) (<-chan time.Time, func()) { return g.tick, func() {} }
	if g.sess, err = Start(context.Background(), log, g.rb, Options{Operator: "alice", Host: "test", GuardTicker: ticker}); err != nil {
		t.Fatal(err)
	}
	g.until("critical", func(st fold.State) bool { return st.Guard("level").State == event.GuardCritical })
	g.sess.Close(context.Background())

	touchValue("0")
	if g.sess, err = Resume(context.Background(), log, g.sess.ID(), Options{Operator: "alice", Host: "test", GuardTicker: ticker}); err != nil {
		t.Fatal(err)
	}
	defer g.sess.Close(context.Background())
	st := g.until("recovered after the resume", func(st fold.State) bool { return st.Guard("level").State == event.GuardOK })
	if ch := st.Guard("level").Changes; len(ch) != 2 || ch[1].From != event.GuardCritical {
		t.Errorf("changes %+v", ch)
	}
}

// A guard that breached while an item's stop held takes the stop over once
// the lead clears the item's: a critical guard is never left without one.
func TestGuardStopOutlivesAnotherStop(t *testing.T) {
	const yaml = `
version: 1
name: t
guards:
  - {id: level, title: Level, command: {run: "cat level"}, every: 1s, critical: "> 5"}
phases:
  - id: one
    title: One
    items:
      - {id: broken, title: Broken, critical: true, command: {run: "exit 1"}}
      - {id: next, title: Next, command: {run: "true"}}
`
	dir := t.TempDir()
	level := func(v string) {
		if err := os.WriteFile(filepath.Join(dir, "level"), []byte(v+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	level("0")
	g := newGuardFixture(t, dir, yaml, nil)
	g.until("first sample", func(fold.State) bool { return g.sess.guards.board.evaluations("level") > 0 })
	g.do(RunPhase{Phase: "one"})
	if st := g.state(); st.Stop == nil || st.Stop.Item != "broken" {
		t.Fatalf("stop = %+v", st.Stop)
	}
	level("9")
	g.evaluate("level")
	g.until("critical", func(st fold.State) bool { return st.Guard("level").State == event.GuardCritical })
	if st := g.state(); st.Stop.Item != "broken" || st.Stop.Guard != "" {
		t.Fatalf("the guard replaced the item's stop: %+v", st.Stop)
	}
	g.do(Override{Item: "broken", Reason: "known breakage"})
	st := g.state()
	if st.Stop == nil || st.Stop.Guard != "level" {
		t.Fatalf("after the override the stop is %+v, want the guard's", st.Stop)
	}
	if it := g.item("next"); it.Status != fold.ItemPending {
		t.Errorf("next is %s while the guard's stop holds", it.Status)
	}
}
