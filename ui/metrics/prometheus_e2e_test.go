package metrics_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"runway/checks/promtest"
	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/fold"
	"runway/runbook/session"
	"runway/ui/metrics"
)

// watchRunbook's prom items query the Prometheus that scrapes the very
// session running them: the phase has 2 items, and no stop rule holds.
const watchRunbook = `version: 1
name: watched
phases:
  - id: watch
    title: Watch
    items:
      - {id: counted, title: Items counted, prom: {url: "${PROM_URL}", query: 'sum(runway_items{phase="watch"})', expect: "2"}}
      - {id: stopped, title: A stop holds, prom: {url: "${PROM_URL}", query: 'max(runway_stop)', expect: "= 1"}}
`

// TestPrometheusScrapesSession runs a real Prometheus scraping a session's
// metrics endpoint, then runs the session's prom items against it.
func TestPrometheusScrapesSession(t *testing.T) {
	dir := t.TempDir()
	ln, err := metrics.Listen("127.0.0.1:0", false)
	if err != nil {
		t.Fatal(err)
	}
	promURL := promtest.Prometheus(t, ln.Addr().String())

	env := map[string]string{"PROM_URL": promURL}
	rb, err := runbook.Parse(filepath.Join(dir, "rb.yaml"), []byte(watchRunbook), func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatalf("runbook: %v", err)
	}
	log, err := audit.Open(filepath.Join(dir, "runway.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	sess, err := session.Start(context.Background(), log, rb, session.Options{Operator: "alice", Host: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close(context.Background())
	defer metrics.Serve(ln, sess)()

	promtest.WaitForSeries(t, promURL, `runway_items{phase="watch",status="pending"}`)
	if err := sess.Do(session.RunPhase{Actor: "alice", Phase: "watch"}); err != nil {
		t.Fatalf("run phase: %v", err)
	}
	st := waitSettled(t, sess)
	items := st.Phases[0].Items
	if items[0].Status != fold.ItemPassed || items[0].Summary != "2 = 2" {
		t.Errorf("counted: %s %q, want passed \"2 = 2\"", items[0].Status, items[0].Summary)
	}
	if items[1].Status != fold.ItemFailed || items[1].Summary != "0, expected = 1" {
		t.Errorf("stopped: %s %q, want failed \"0, expected = 1\"", items[1].Status, items[1].Summary)
	}
}

// waitSettled waits until the phase's items have all ended.
func waitSettled(t *testing.T, sess *session.Session) fold.State {
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		st := sess.State()
		done := true
		for _, it := range st.Phases[0].Items {
			if it.Status == fold.ItemPending || it.Status == fold.ItemRunning {
				done = false
			}
		}
		if done && sess.Idle() {
			return st
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("items never settled: %+v", sess.State().Phases[0].Items)
	return fold.State{}
}
