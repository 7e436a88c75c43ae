package checks

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"runway/runbook"
)

// A webhook that redirects is not followed: the notice and its token
// header never reach the other host, and the failure says where it pointed.
func TestDeliverDoesNotFollowRedirects(t *testing.T) {
	var stolen atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		stolen.Add(1)
	}))
	t.Cleanup(other.Close)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		http.Redirect(w, req, other.URL+"/steal?x=1", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(hook.Close)
	ch := &runbook.Channel{Name: "team", Type: runbook.ChannelWebhook, URL: hook.URL + "/hook",
		Headers: []runbook.Header{{Name: "X-Auth-Token", Value: "tok-secret"}}}
	res := Deliver(context.Background(), Env{}, ch, stopNotice)
	if res.Passed || stolen.Load() != 0 {
		t.Fatalf("followed the redirect: %+v, %d posts elsewhere", res, stolen.Load())
	}
	host := strings.TrimPrefix(other.URL, "http://")
	if !strings.Contains(res.Summary, "HTTP 307, a redirect to "+host+", not followed") || strings.Contains(res.Summary, "steal") {
		t.Errorf("summary %q", res.Summary)
	}
}

// A command channel that never reads its stdin nor exits fails the notify
// item at its timeout with a line that says what did not happen.
func TestNotifyItemCommandThatHangs(t *testing.T) {
	ch := &runbook.Channel{Name: "sms", Type: runbook.ChannelCommand, Run: "exec sleep 1000"}
	chk, err := New(runbook.Spec{Notify: &runbook.NotifyItem{Channel: "sms", Message: "test", Target: ch}})
	if err != nil {
		t.Fatal(err)
	}
	res := Run(context.Background(), chk, Env{Dir: t.TempDir()}, 300*time.Millisecond)
	if res.Passed || !strings.HasSuffix(res.Summary, "channel sms: not delivered") {
		t.Errorf("%+v", res)
	}
}
