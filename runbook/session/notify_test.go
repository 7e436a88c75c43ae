package session

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"runway/checks"
	"runway/runbook/audit"
	"runway/runbook/fold"
)

// hookServer records posted notices; while hold is open it keeps requests
// waiting (the channel is down), then answers status.
type hookServer struct {
	mu      sync.Mutex
	notices []checks.Notice
	raw     []string
	status  int
	hold    chan struct{}
	srv     *httptest.Server
}

func newHookServer(t *testing.T, status int, held bool) *hookServer {
	h := &hookServer{status: status, hold: make(chan struct{})}
	if !held {
		close(h.hold)
	}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var n checks.Notice
		_ = json.Unmarshal(b, &n)
		h.mu.Lock()
		h.notices, h.raw = append(h.notices, n), append(h.raw, string(b))
		h.mu.Unlock()
		select {
		case <-h.hold:
		case <-r.Context().Done():
		}
		w.WriteHeader(h.status)
	}))
	t.Cleanup(func() {
		h.release()
		h.srv.Close()
	})
	return h
}

func (h *hookServer) release() {
	h.mu.Lock()
	defer h.mu.Unlock()
	select {
	case <-h.hold:
	default:
		close(h.hold)
	}
}

func (h *hookServer) got() ([]checks.Notice, []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]checks.Notice(nil), h.notices...), append([]string(nil), h.raw...)
}

// startWith starts a session on yaml with env and opts, as alice.
func startWith(t *testing.T, yaml string, env map[string]string, opts Options) *fixture {
	t.Helper()
	f := &fixture{t: t, dir: t.TempDir()}
	f.rb = loadRunbook(t, f.dir, yaml, env)
	f.path = filepath.Join(f.dir, "runway.db")
	log, err := audit.Open(f.path)
	if err != nil {
		t.Fatal(err)
	}
	f.log = log
	t.Cleanup(func() { log.Close() })
	opts.Operator, opts.Host = "alice", "test"
	if f.sess, err = Start(context.Background(), log, f.rb, opts); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.sess.Close(context.Background()) })
	return f
}

// waitFor polls the session's state until ok, at most 30s.
func (f *fixture) waitFor(what string, ok func(fold.State) bool) {
	f.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !ok(f.state()) {
		if time.Now().After(deadline) {
			f.t.Fatalf("waiting for %s: state %+v", what, f.state().Channels)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func channelState(st fold.State, name string) fold.ChannelState {
	for _, c := range st.Channels {
		if c.Name == name {
			return c
		}
	}
	return fold.ChannelState{}
}

const notifyTwoPhases = `version: 1
name: notified
notify:
  channels:
    hook: {type: webhook, url: "%HOOK%"}
    script: {type: command, run: "cat >> events.jsonl"}
  routes:
    - {events: [stop, phase_passed], channels: [hook, script]}
phases:
  - id: one
    title: One
    items:
      - {id: a, title: A, command: {run: "true"}}
  - id: two
    title: Two
    items:
      - {id: b, title: B, critical: true, command: {run: "false"}}
`

func TestNotifyStopAndPhasePassed(t *testing.T) {
	h := newHookServer(t, http.StatusOK, false)
	f := startWith(t, strings.Replace(notifyTwoPhases, "%HOOK%", h.srv.URL, 1), nil, Options{})
	f.do(RunPhase{Phase: "one"})
	f.do(RunPhase{Phase: "two"})
	f.waitFor("both notices on both channels", func(st fold.State) bool {
		return channelState(st, "hook").Sent == 2 && channelState(st, "script").Sent == 2
	})
	notices, _ := h.got()
	if len(notices) != 2 || notices[0].Kind != "phase_passed" || notices[0].Phase != "one" ||
		notices[1].Kind != "stop" || notices[1].Severity != "critical" || notices[1].Item != "b" || notices[1].Session != f.sess.ID() {
		t.Errorf("webhook got %+v", notices)
	}
	b, err := os.ReadFile(filepath.Join(f.dir, "events.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"kind":"phase_passed"`) || !strings.Contains(lines[1], `"kind":"stop"`) {
		t.Errorf("command channel stdin:\n%s", b)
	}
	if !f.has("notify.sent b") || !f.has("notify.sent one") {
		t.Errorf("events: %v", f.kinds())
	}
}

const notifyDown = `version: 1
name: down
notify:
  channels:
    down: {type: webhook, url: "%HOOK%/${HOOK_TOKEN}"}
  routes:
    - {events: [phase_passed], channels: [down]}
phases:
  - id: one
    title: One
    items:
      - {id: a, title: A, command: {run: "true"}}
  - id: two
    title: Two
    items:
      - {id: b, title: B, command: {run: "true"}}
      - {id: c, title: C, command: {run: "true"}}
`

func TestNotifyFailingChannelRetriedWithoutSlowingTheSession(t *testing.T) {
	const secret = "hook-s3cret-value"
	h := newHookServer(t, http.StatusInternalServerError, true)
	f := startWith(t, strings.Replace(notifyDown, "%HOOK%", h.srv.URL, 1),
		map[string]string{"HOOK_TOKEN": secret}, Options{NotifyAttempts: 3, NotifyBackoff: time.Millisecond})
	f.do(RunPhase{Phase: "one"})
	// The channel holds the first attempt: the next phase runs all the same.
	f.do(RunPhase{Phase: "two"})
	if st := f.item("c"); st.Status != fold.ItemPassed {
		t.Fatalf("item c is %s while the channel is down", st.Status)
	}
	if c := channelState(f.state(), "down"); c.Failed != 0 || c.Sent != 0 {
		t.Fatalf("channel answered before it was released: %+v", c)
	}
	h.release()
	f.waitFor("three failed attempts per notice", func(st fold.State) bool { return channelState(st, "down").Failed == 6 })
	c := channelState(f.state(), "down")
	if c.LastOK || c.LastSummary != "not delivered: HTTP 500" {
		t.Errorf("channel state %+v", c)
	}
	if notices, _ := h.got(); len(notices) != 6 {
		t.Errorf("receiver got %d attempts, want 6", len(notices))
	}
	if err := f.sess.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	assertNotInFiles(t, f.dir, "runway.db", secret)
}

// assertNotInFiles fails when any file whose name starts with prefix holds secret.
func assertNotInFiles(t *testing.T, dir, prefix, secret string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	scanned := 0
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		scanned++
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("%s holds the secret", e.Name())
		}
	}
	if scanned == 0 {
		t.Fatal("no audit files scanned")
	}
}

const notifyItems = `version: 1
name: tested
notify:
  channels:
    ok: {type: webhook, url: "%OK%"}
    gone: {type: webhook, url: "http://127.0.0.1:1/${HOOK_TOKEN}"}
phases:
  - id: prep
    title: Preparation
    items:
      - {id: ok-tested, title: OK tested, critical: true, notify: {channel: ok, message: hello}}
      - {id: gone-tested, title: Gone tested, critical: true, notify: {channel: gone}}
`

func TestNotifyItemPassesOnlyWhenDelivered(t *testing.T) {
	const secret = "gone-s3cret-value"
	h := newHookServer(t, http.StatusOK, false)
	f := startWith(t, strings.Replace(notifyItems, "%OK%", h.srv.URL, 1), map[string]string{"HOOK_TOKEN": secret}, Options{})
	f.do(RunPhase{Phase: "prep"})
	if it := f.item("ok-tested"); it.Status != fold.ItemPassed {
		t.Errorf("ok-tested is %s: %s", it.Status, it.Summary)
	}
	it := f.item("gone-tested")
	if it.Status != fold.ItemFailed || !strings.HasPrefix(it.Summary, "channel gone: not delivered") || strings.Contains(it.Summary, secret) {
		t.Errorf("gone-tested is %s: %q", it.Status, it.Summary)
	}
	if f.state().Stop == nil {
		t.Error("a critical notify item failed and nothing stopped")
	}
	if notices, _ := h.got(); len(notices) != 1 || notices[0].Kind != "test" || notices[0].Summary != "hello" {
		t.Errorf("receiver got %+v", notices)
	}
	f.sess.Close(context.Background())
	assertNotInFiles(t, f.dir, "runway.db", secret)
}

const notifyThreePhases = `version: 1
name: busy
notify:
  channels:
    slow: {type: webhook, url: "%HOOK%"}
  routes:
    - {events: [phase_passed], channels: [slow]}
phases:
  - {id: one, title: One, items: [{id: a, title: A, command: {run: "true"}}]}
  - {id: two, title: Two, items: [{id: b, title: B, command: {run: "true"}}]}
  - {id: three, title: Three, items: [{id: c, title: C, command: {run: "true"}}]}
`

func TestNotifyFullQueueDropsTheOldestAndSaysSo(t *testing.T) {
	h := newHookServer(t, http.StatusOK, true)
	f := startWith(t, strings.Replace(notifyThreePhases, "%HOOK%", h.srv.URL, 1), nil, Options{NotifyQueue: 1})
	f.do(RunPhase{Phase: "one"})
	deadline := time.Now().Add(30 * time.Second)
	for notices, _ := h.got(); len(notices) == 0; notices, _ = h.got() { // the worker holds phase one's
		if time.Now().After(deadline) {
			t.Fatal("phase one's notice never reached the receiver")
		}
		time.Sleep(2 * time.Millisecond)
	}
	f.do(RunPhase{Phase: "two"})   // queued
	f.do(RunPhase{Phase: "three"}) // queued, dropping phase two's
	h.release()
	f.waitFor("two sent, one dropped", func(st fold.State) bool {
		c := channelState(st, "slow")
		return c.Sent == 2 && c.Dropped == 1
	})
	notices, _ := h.got()
	if len(notices) != 2 || notices[0].Phase != "one" || notices[1].Phase != "three" {
		t.Errorf("receiver got %+v", notices)
	}
	if !f.has("notify.dropped") {
		t.Errorf("events %v", f.kinds())
	}
}
