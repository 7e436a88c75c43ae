// Package promtest gives tests a real Prometheus and a real Alertmanager
// (the Debian packages' binaries) on loopback ports of their own. Without
// the binary a test is skipped with a one-line reason, unless
// RUNWAY_REQUIRE_PROMETHEUS=1 / RUNWAY_REQUIRE_ALERTMANAGER=1.
package promtest

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// ready is how long a server may take to answer on a loaded machine.
const ready = 2 * time.Minute

// binary finds name on PATH, or skips (fails when env is "1").
func binary(t testing.TB, name, env string) string {
	t.Helper()
	bin, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv(env) == "1" {
			t.Fatalf("%s not found and %s=1: %v", name, env, err)
		}
		t.Skipf("no %s binary (apt-get install %s); %s=1 makes this a failure", name, debianPackage(name), env)
	}
	return bin
}

func debianPackage(name string) string {
	if name == "prometheus-alertmanager" {
		return name
	}
	return "prometheus"
}

// FreeAddr is a loopback address nobody listens on at the moment.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// Prometheus runs Prometheus on a free loopback port, scraping each target
// (host:port, path /metrics) every second, and returns its URL once it is
// ready. It is killed when the test ends; its log is shown if the test failed.
func Prometheus(t testing.TB, targets ...string) string {
	t.Helper()
	bin := binary(t, "prometheus", "RUNWAY_REQUIRE_PROMETHEUS")
	dir := t.TempDir()
	quoted := make([]string, len(targets))
	for i, target := range targets {
		quoted[i] = fmt.Sprintf("%q", target)
	}
	cfg := filepath.Join(dir, "prometheus.yml")
	text := fmt.Sprintf("global: {scrape_interval: 1s, evaluation_interval: 1s}\nscrape_configs:\n  - job_name: runway\n    static_configs: [{targets: [%s]}]\n", strings.Join(quoted, ", "))
	if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	addr := FreeAddr(t)
	start(t, dir, "prometheus", bin, "--config.file="+cfg, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr, "--log.level=warn")
	base := "http://" + addr
	waitReady(t, "prometheus", base)
	return base
}

// Alertmanager runs Prometheus Alertmanager on a free loopback port, with
// no clustering and a route that sends nowhere, and returns its URL once it
// is ready.
func Alertmanager(t testing.TB) string {
	t.Helper()
	bin := binary(t, "prometheus-alertmanager", "RUNWAY_REQUIRE_ALERTMANAGER")
	dir := t.TempDir()
	conf := filepath.Join(dir, "alertmanager.yml")
	if err := os.WriteFile(conf, []byte("route: {receiver: none}\nreceivers: [{name: none}]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	addr := FreeAddr(t)
	start(t, dir, "alertmanager", bin, "--config.file="+conf, "--storage.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr, "--cluster.listen-address=")
	base := "http://" + addr
	waitReady(t, "alertmanager", base)
	return base
}

// start runs bin with its output in dir/name.log, killed at the test's end.
func start(t testing.TB, dir, name, bin string, args ...string) {
	t.Helper()
	logPath := filepath.Join(dir, name+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		t.Fatalf("start %s: %v", name, err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		logFile.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			t.Logf("%s log:\n%s", name, b)
		}
	})
}

// waitReady polls base/-/ready until it answers 200.
func waitReady(t testing.TB, name, base string) {
	t.Helper()
	deadline := time.Now().Add(ready)
	for {
		resp, err := http.Get(base + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready at %s after %s", name, base, ready)
		}
		time.Sleep(50 * time.Millisecond) // polling, not synchronisation
	}
}

// Sample is one series of an instant query's answer.
type Sample struct {
	Metric map[string]string
	Value  string
}

// Query runs an instant PromQL query and returns its samples (nil on any
// error: callers poll).
func Query(promURL, query string) ([]Sample, error) {
	resp, err := http.Get(promURL + "/api/v1/query?query=" + url.QueryEscape(query))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var r struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			Result []struct {
				Metric map[string]string `json:"metric"`
				Value  [2]any            `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, fmt.Errorf("query %s: %w", query, err)
	}
	if r.Status != "success" {
		return nil, fmt.Errorf("query %s: %s", query, r.Error)
	}
	out := make([]Sample, len(r.Data.Result))
	for i, s := range r.Data.Result {
		out[i] = Sample{Metric: s.Metric, Value: fmt.Sprint(s.Value[1])}
	}
	return out, nil
}

// WaitForSeries polls Prometheus until query has a sample (it has scraped
// the target at least once), and returns the samples.
func WaitForSeries(t testing.TB, promURL, query string) []Sample {
	t.Helper()
	deadline := time.Now().Add(ready)
	var last error
	for time.Now().Before(deadline) {
		got, err := Query(promURL, query)
		if err == nil && len(got) > 0 {
			return got
		}
		last = err
		time.Sleep(200 * time.Millisecond) // polling, not synchronisation
	}
	t.Fatalf("prometheus never had %s (last error: %v)", query, last)
	return nil
}

// Alert is one alert as Alertmanager's v2 API lists it.
type Alert struct {
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	EndsAt      time.Time         `json:"endsAt"`
	Status      struct {
		State string `json:"state"`
	} `json:"status"`
}

// Alerts reads the alerts named alertname back through Alertmanager's API.
func Alerts(base, alertname string) ([]Alert, error) {
	resp, err := http.Get(base + "/api/v2/alerts?filter=" + url.QueryEscape(fmt.Sprintf("alertname=%q", alertname)))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var alerts []Alert
	if err := json.NewDecoder(resp.Body).Decode(&alerts); err != nil {
		return nil, fmt.Errorf("alertmanager alerts: %w", err)
	}
	return alerts, nil
}
