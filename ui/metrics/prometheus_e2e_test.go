package metrics_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

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
	bin := prometheusBinary(t)
	dir := t.TempDir()
	ln, err := metrics.Listen("127.0.0.1:0", false)
	if err != nil {
		t.Fatal(err)
	}
	promAddr := freeAddr(t)
	promURL := startPrometheus(t, bin, dir, promAddr, ln.Addr().String())

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

	waitForSeries(t, promURL, `runway_items{phase="watch",status="pending"}`)
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

// prometheusBinary is the Debian package's binary, or a skip.
func prometheusBinary(t *testing.T) string {
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		if os.Getenv("RUNWAY_REQUIRE_PROMETHEUS") == "1" {
			t.Fatalf("prometheus binary not found and RUNWAY_REQUIRE_PROMETHEUS=1: %v", err)
		}
		t.Skip("no prometheus binary (apt-get install prometheus); RUNWAY_REQUIRE_PROMETHEUS=1 makes this a failure")
	}
	return bin
}

// freeAddr is a loopback address nobody listens on at the moment.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startPrometheus runs Prometheus on addr, scraping target every second,
// with its storage in dir; it is killed at the test's end.
func startPrometheus(t *testing.T, bin, dir, addr, target string) string {
	cfg := filepath.Join(dir, "prometheus.yml")
	text := fmt.Sprintf("global: {scrape_interval: 1s, evaluation_interval: 1s}\nscrape_configs:\n  - job_name: runway\n    static_configs: [{targets: [%q]}]\n", target)
	if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	logFile, err := os.Create(filepath.Join(dir, "prometheus.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--config.file="+cfg, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr, "--log.level=warn")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatalf("start prometheus: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		logFile.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logFile.Name())
			t.Logf("prometheus log:\n%s", b)
		}
	})
	return "http://" + addr
}

// waitForSeries polls Prometheus until query has a sample: it has scraped
// the session at least once.
func waitForSeries(t *testing.T, promURL, query string) {
	deadline := time.Now().Add(2 * time.Minute)
	var last string
	for time.Now().Before(deadline) {
		resp, err := http.Get(promURL + "/api/v1/query?query=" + url.QueryEscape(query))
		if err == nil {
			var r struct {
				Data struct {
					Result []json.RawMessage `json:"result"`
				} `json:"data"`
			}
			err = json.NewDecoder(resp.Body).Decode(&r)
			resp.Body.Close()
			if err == nil && len(r.Data.Result) > 0 {
				return
			}
		}
		last = fmt.Sprint(err)
		time.Sleep(200 * time.Millisecond) // polling, not synchronisation
	}
	t.Fatalf("prometheus never had %s (last error: %s)", query, last)
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
