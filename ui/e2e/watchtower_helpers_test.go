package e2e

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"runway/runbook/audit"
)

// patience bounds every wait of the watchtower test: generous, since the
// machine may be loaded; nothing is asserted about how fast things happen.
const patience = 3 * time.Minute

// notice is a notification as a receiver outside runway reads its JSON.
type notice struct {
	Kind      string `json:"kind"`
	Severity  string `json:"severity"`
	Session   string `json:"session"`
	Phase     string `json:"phase"`
	Summary   string `json:"summary"`
	Guard     string `json:"guard"`
	Escalated bool   `json:"escalated"`
}

// receiver is a webhook endpoint that keeps every JSON body posted to it.
type receiver struct {
	srv     *httptest.Server
	mu      sync.Mutex
	notices []notice
	bad     []string // bodies that were not a JSON notice
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		var n notice
		r.mu.Lock()
		if err := json.Unmarshal(b, &n); err != nil || req.Header.Get("Content-Type") != "application/json" {
			r.bad = append(r.bad, req.Header.Get("Content-Type")+" "+string(b))
		} else {
			r.notices = append(r.notices, n)
		}
		r.mu.Unlock()
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// got lists what arrived so far.
func (r *receiver) got() ([]notice, []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]notice(nil), r.notices...), append([]string(nil), r.bad...)
}

// watchedValue is an HTTP endpoint of the test's own that Prometheus
// scrapes: one gauge whose value the test sets.
type watchedValue struct {
	srv   *httptest.Server
	value atomic.Value // string
}

func newWatchedValue(t *testing.T, metric, initial string) *watchedValue {
	w := &watchedValue{}
	w.value.Store(initial)
	w.srv = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
		rw.Header().Set("Content-Type", "text/plain; version=0.0.4")
		fmt.Fprintf(rw, "# TYPE %s gauge\n%s %s\n", metric, metric, w.value.Load())
	}))
	t.Cleanup(w.srv.Close)
	return w
}

// addr is the endpoint's host:port, as a Prometheus target.
func (w *watchedValue) addr() string { return strings.TrimPrefix(w.srv.URL, "http://") }

// sourceOrders writes an SQLite database with n orders for the copy.
func sourceOrders(t *testing.T, path string, n int) {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stmts := []string{
		"CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, amount NUMERIC NOT NULL)",
		fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
			INSERT INTO orders SELECT i, 'customer ' || (i %% 97), i * 1.25 FROM n`, n),
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("source orders: %v", err)
		}
	}
}

// logEvents reads every event of the audit log at path (nil while it
// cannot be opened yet).
func logEvents(path string) []audit.Event {
	l, err := audit.OpenReadOnly(path)
	if err != nil {
		return nil
	}
	defer l.Close()
	events, _ := l.Events(context.Background(), "", 0)
	return events
}

// waitEvent polls the audit log until an event matches, and returns it.
func waitEvent(t *testing.T, path, what string, match func(audit.Event) bool) audit.Event {
	t.Helper()
	var found audit.Event
	waitUntil(t, what+" in the audit log", func() bool {
		for _, e := range logEvents(path) {
			if match(e) {
				found = e
				return true
			}
		}
		return false
	})
	return found
}

// waitUntil polls cond until it holds, failing the test after patience.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", patience, what)
		}
		time.Sleep(100 * time.Millisecond) // polling, not synchronisation
	}
}

// payload decodes an event's JSON payload into a map of its fields.
func payload(e audit.Event) map[string]any {
	var m map[string]any
	_ = json.Unmarshal(e.Payload, &m)
	return m
}

// jsonLines decodes the notices a command channel appended to path.
func jsonLines(t *testing.T, path string) []notice {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []notice
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var n notice
		if err := json.Unmarshal(sc.Bytes(), &n); err != nil {
			t.Errorf("%s: a line that is not a JSON notice: %q", filepath.Base(path), sc.Text())
			continue
		}
		out = append(out, n)
	}
	return out
}

// has reports whether a notice of kind (about guard, when given) is among ns.
func has(ns []notice, kind, guard string) bool {
	for _, n := range ns {
		if n.Kind == kind && (guard == "" || n.Guard == guard) {
			return true
		}
	}
	return false
}
