package checks

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"runway/runbook"
)

// receiver records the bodies posted to it and answers with status.
type receiver struct {
	mu     sync.Mutex
	bodies []string
	status int
}

func newReceiver(t *testing.T, status int) (*receiver, *httptest.Server) {
	r := &receiver{status: status}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.bodies = append(r.bodies, req.URL.Path+" "+req.Header.Get("Authorization")+" "+string(b))
		r.mu.Unlock()
		w.WriteHeader(r.status)
	}))
	t.Cleanup(srv.Close)
	return r, srv
}

func (r *receiver) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.bodies...)
}

var stopNotice = Notice{Kind: runbook.NoticeStop, Severity: runbook.SeverityCritical, Runbook: "orders",
	Phase: "pilot", Item: "verify", Summary: "critical item failed", Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}

func TestDeliverWebhookJSONAndSlack(t *testing.T) {
	r, srv := newReceiver(t, http.StatusNoContent)
	ch := &runbook.Channel{Name: "team", Type: runbook.ChannelWebhook, URL: srv.URL + "/hook",
		Headers: []runbook.Header{{Name: "Authorization", Value: "Bearer tok"}}}
	if res := Deliver(context.Background(), Env{}, ch, stopNotice); !res.Passed || res.Summary != "delivered (HTTP 204)" {
		t.Fatalf("json: %+v", res)
	}
	ch.Format = "slack"
	if res := Deliver(context.Background(), Env{}, ch, stopNotice); !res.Passed {
		t.Fatalf("slack: %+v", res)
	}
	got := r.got()
	if len(got) != 2 {
		t.Fatalf("received %d posts", len(got))
	}
	var n Notice
	if err := json.Unmarshal([]byte(strings.TrimPrefix(got[0], "/hook Bearer tok ")), &n); err != nil || n != stopNotice {
		t.Errorf("json post %q: %+v %v", got[0], n, err)
	}
	want := `/hook Bearer tok {"text":"[critical] stop runbook orders phase pilot item verify: critical item failed"}`
	if got[1] != want {
		t.Errorf("slack post\n%s\nwant\n%s", got[1], want)
	}
}

func TestDeliverCommandStdin(t *testing.T) {
	dir := t.TempDir()
	ch := &runbook.Channel{Name: "script", Type: runbook.ChannelCommand, Run: "cat > event.json"}
	if res := Deliver(context.Background(), Env{Dir: dir}, ch, stopNotice); !res.Passed {
		t.Fatalf("%+v", res)
	}
	b, err := os.ReadFile(filepath.Join(dir, "event.json"))
	var n Notice
	if err != nil || json.Unmarshal(b, &n) != nil || n != stopNotice {
		t.Errorf("stdin %q: %+v %v", b, n, err)
	}
	ch.Run = "exit 3"
	if res := Deliver(context.Background(), Env{Dir: dir}, ch, stopNotice); res.Passed || res.Summary != "exit 3, expected 0" {
		t.Errorf("failing command: %+v", res)
	}
}

func TestDeliverKeepsTheURLOutOfErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nobody listens there now
	ch := &runbook.Channel{Name: "team", Type: runbook.ChannelWebhook, URL: "http://" + addr + "/s3cret-token"}
	res := Deliver(context.Background(), Env{}, ch, stopNotice)
	if res.Passed || !strings.HasPrefix(res.Summary, "not delivered: ") || strings.Contains(res.Summary, "s3cret") {
		t.Errorf("%+v", res)
	}
}

func TestNotifyItem(t *testing.T) {
	for _, c := range []struct {
		status int
		passed bool
		want   string
	}{{200, true, "channel team: delivered (HTTP 200)"}, {500, false, "channel team: not delivered: HTTP 500"}} {
		r, srv := newReceiver(t, c.status)
		ch := &runbook.Channel{Name: "team", Type: runbook.ChannelWebhook, URL: srv.URL}
		chk, err := New(runbook.Spec{Notify: &runbook.NotifyItem{Channel: "team", Message: "channels tested", Target: ch}})
		if err != nil {
			t.Fatal(err)
		}
		res := Run(context.Background(), chk, Env{}, time.Minute)
		if res.Passed != c.passed || res.Summary != c.want {
			t.Errorf("HTTP %d: %+v", c.status, res)
		}
		if got := r.got(); len(got) != 1 || !strings.Contains(got[0], `"kind":"test"`) || !strings.Contains(got[0], `"summary":"channels tested"`) {
			t.Errorf("HTTP %d: received %q", c.status, got)
		}
	}
}
