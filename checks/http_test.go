package checks

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"runway/runbook"
)

func TestHTTP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/health":
			w.Write([]byte("status: ok\nversion: 2\n"))
		case "/down":
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("maintenance"))
		case "/old":
			http.Redirect(w, r, "/health", http.StatusMovedPermanently)
		case "/method":
			w.Write([]byte(r.Method))
		case "/big":
			w.Write([]byte("BEGIN\n"))
			for i := 0; i < 3*bodyLimit/64; i++ {
				w.Write([]byte(strings.Repeat("y", 63) + "\n"))
			}
			w.Write([]byte("END\n"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	tests := []struct {
		name    string
		spec    runbook.HTTP
		passed  bool
		summary string
	}{
		{"ok", runbook.HTTP{URL: srv.URL + "/health"}, true, "HTTP 200 (expected 200)"},
		{"body matches", runbook.HTTP{URL: srv.URL + "/health", ExpectBody: `^status: ok$`}, true, "HTTP 200 (expected 200), body matches /^status: ok$/"},
		{"body does not match", runbook.HTTP{URL: srv.URL + "/health", ExpectBody: `version: 3`}, false, "HTTP 200 (expected 200), body does not match /version: 3/"},
		{"unavailable", runbook.HTTP{URL: srv.URL + "/down"}, false, "HTTP 503, expected 200"},
		{"expected 503", runbook.HTTP{URL: srv.URL + "/down", ExpectStatus: 503, ExpectBody: "maint"}, true, "HTTP 503 (expected 503), body matches /maint/"},
		{"redirect followed", runbook.HTTP{URL: srv.URL + "/old"}, true, "HTTP 200 (expected 200)"},
		{"redirect expected", runbook.HTTP{URL: srv.URL + "/old", ExpectStatus: 301}, true, "HTTP 301 (expected 301)"},
		{"method", runbook.HTTP{URL: srv.URL + "/method", Method: "post", ExpectBody: "^POST$"}, true, "HTTP 200 (expected 200), body matches /^POST$/"},
		{"not found", runbook.HTTP{URL: srv.URL + "/nope"}, false, "HTTP 404, expected 200"},
		{"big body is bounded", runbook.HTTP{URL: srv.URL + "/big", ExpectBody: "^BEGIN$"}, true, "HTTP 200 (expected 200), body matches /^BEGIN$/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chk, err := New(runbook.Spec{HTTP: &tt.spec})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			res := chk.Run(context.Background(), Env{})
			if res.Passed != tt.passed || res.Summary != tt.summary {
				t.Errorf("got %v %q; want %v %q", res.Passed, res.Summary, tt.passed, tt.summary)
			}
			if len(res.Output) > OutputLimit+200 {
				t.Errorf("output is %d bytes", len(res.Output))
			}
		})
	}
}

func TestHTTPClosedPortAndRedaction(t *testing.T) {
	const token = "tok-123456789"
	redact := func(s string) string { return strings.ReplaceAll(s, token, runbook.Redacted) }
	url := "http://" + closedPort(t) + "/health?token=" + token
	chk, err := New(runbook.Spec{HTTP: &runbook.HTTP{URL: url}})
	if err != nil {
		t.Fatal(err)
	}
	res := chk.Run(context.Background(), Env{Redact: redact})
	if res.Passed || !strings.HasPrefix(res.Summary, "GET http://") || !strings.Contains(res.Summary, "token=***") {
		t.Fatalf("got %v %q", res.Passed, res.Summary)
	}
	if strings.Contains(res.Summary, token) {
		t.Fatalf("token shown: %q", res.Summary)
	}
}

func TestHTTPTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	chk, _ := New(runbook.Spec{HTTP: &runbook.HTTP{URL: srv.URL}})
	if res := Run(context.Background(), chk, Env{}, 50*time.Millisecond); res.Passed || res.Summary != "timed out after 50ms" {
		t.Fatalf("got %v %q", res.Passed, res.Summary)
	}
}
